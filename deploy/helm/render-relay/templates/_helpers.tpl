{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "render-relay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release name, plus the chart name unless the release name contains it. */}}
{{- define "render-relay.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "render-relay.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "render-relay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "render-relay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "render-relay.labels" -}}
helm.sh/chart: {{ include "render-relay.chart" . }}
{{ include "render-relay.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "render-relay.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "render-relay.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "render-relay.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding the four secret environment variables. */}}
{{- define "render-relay.secretName" -}}
{{- if .Values.secrets.create }}
{{- printf "%s-secrets" (include "render-relay.fullname" .) }}
{{- else }}
{{- required "secrets.existingSecret must name a Secret (or set secrets.create=true)" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/* provider.base-url -> RENDER_RELAY_PROVIDER_BASE_URL (ConfigKey.envNameOf). */}}
{{- define "render-relay.envName" -}}
{{- printf "RENDER_RELAY_%s" (. | upper | replace "." "_" | replace "-" "_") }}
{{- end }}

{{/* A configuration value with its documented default (for KEDA's topic and group names). */}}
{{- define "render-relay.configValue" -}}
{{- $ctx := index . 0 }}{{- $key := index . 1 }}{{- $default := index . 2 }}
{{- if hasKey $ctx.Values.config $key }}{{ index $ctx.Values.config $key | toString }}{{ else }}{{ $default }}{{ end }}
{{- end }}

{{/* The poll tier topics: the first field of each topic:delay:attempts entry of poll.tiers. */}}
{{- define "render-relay.pollTierTopics" -}}
{{- $tiers := include "render-relay.configValue" (list . "poll.tiers" "render.poll.10s:10s:6,render.poll.30s:30s:20,render.poll.120s:120s:0") }}
{{- $topics := list }}
{{- range splitList "," $tiers }}
{{- $topics = append $topics (first (splitList ":" (trim .))) }}
{{- end }}
{{- join "," $topics }}
{{- end }}

{{/* Fails the render on values that would break the worker or its operations. */}}
{{- define "render-relay.validate" -}}
{{- $secretKeys := list "provider.api-key" "storage.secret-access-key" "registry.basic-auth-user-info" "registry.bearer-token" "instance.callback-secret" "tracing.otlp-headers" }}
{{- range $key, $_ := .Values.config }}
{{- if has $key $secretKeys }}
{{- fail (printf "config.%s is a secret: put it in the Secret named by secrets.existingSecret (key %s), never in config" $key (include "render-relay.envName" $key)) }}
{{- end }}
{{- if or (contains "password" $key) (contains "secret" $key) (contains "token" $key) (contains "jaas" $key) }}
{{- fail (printf "config.%s looks like a credential: pass it through extraEnv from a Secret" $key) }}
{{- end }}
{{- end }}
{{- if hasKey .Values.config "shutdown.grace" }}
{{- fail "set shutdownGraceSeconds, not config.shutdown.grace (the pod's termination grace is derived from it)" }}
{{- end }}
{{- if hasKey .Values.config "instance.topic-partitions" }}
{{- fail "set partitions, not config.instance.topic-partitions (it also bounds the replicas)" }}
{{- end }}
{{- if hasKey .Values.config "http.port" }}
{{- fail "config.http.port is fixed at 8080 in the pod; change service.port instead" }}
{{- end }}
{{- if hasKey .Values.config "http.management-port" }}
{{- fail "config.http.management-port is fixed at 9090 in the pod; change service.managementPort instead" }}
{{- end }}
{{- if hasKey .Values.config "instance.id" }}
{{- fail "config.instance.id is set per pod (its name); remove it" }}
{{- end }}
{{- if .Values.ingress.enabled }}
{{- $url := include "render-relay.configValue" (list . "provider.callback-base-url" "") }}
{{- $host := .Values.ingress.host }}
{{- /* Equivalent spellings: a trailing slash, the scheme's default port. */}}
{{- $norm := trimSuffix "/" $url | replace (printf "https://%s:443/" $host) (printf "https://%s/" $host) | replace (printf "http://%s:80/" $host) (printf "http://%s/" $host) }}
{{- if not (has $norm (list (printf "https://%s/callbacks" $host) (printf "http://%s/callbacks" $host))) }}
{{- fail (printf "config.provider.callback-base-url %q must be https://%s/callbacks: the Ingress routes /callbacks of ingress.host" $url $host) }}
{{- end }}
{{- end }}
{{- if and (not .Values.keda.enabled) (gt (int .Values.replicaCount) (int .Values.partitions)) }}
{{- fail (printf "replicaCount %d exceeds partitions %d: replicas beyond the partition count idle" (int .Values.replicaCount) (int .Values.partitions)) }}
{{- end }}
{{- end }}
