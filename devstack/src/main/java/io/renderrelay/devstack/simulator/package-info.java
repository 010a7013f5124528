/**
 * The provider simulator: a real HTTP server on 127.0.0.1 faithful to
 * /work/shared/provider-contract.md (CometAPI's Runway wrapper), for tests, demo, bench and chaos.
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code POST /runway/pro/video2video}, {@code POST /runway/pro/act_one}: bearer auth,
 *       validated bodies (400 with the gateway error body), answer {@code {"code":200,"msg":
 *       "success","data":{"task_id":...},"exec_time":...}}; task ids are random UUIDs.
 *   <li>{@code POST /runway/feed}: 400 task_not_exist during the not-exist window and for unknown
 *       ids, then the task's state by the injected clock in the CLASSIC or MODERN format.
 *   <li>{@code GET|HEAD /files/{taskId}/video.mp4|poster.png|last_frame.png}: deterministic content
 *       ({@link io.renderrelay.devstack.simulator.OutputContent}), streamed with a Content-Length;
 *       404 until the task has succeeded; no auth (a CDN).
 *   <li>{@code GET|HEAD /inputs/{name}}: input files for the worker's pre-flight check, one per
 *       rule (16:9 and 4:3 videos and images, an HTML page, a large video, 503, 404), with ranged
 *       GETs ({@link io.renderrelay.devstack.simulator.InputHandler}).
 *   <li>{@code /_sim/*}: the control API (see {@code ControlHandler}); no auth.
 * </ul>
 *
 * <h2>Job attribution</h2>
 *
 * Paid submissions are counted per job id, taken from the callback URL: the worker's callback URL
 * has the form {@code <base>/callbacks/<jobId>/<token>} and the job id is the path segment right
 * after {@code /callbacks/}. When a callback_url does not match that pattern, the whole URL string
 * is the key.
 *
 * <h2>Callbacks</h2>
 *
 * When a task has ended (and is past its not-exist window) its task object, in the current answer
 * format, is POSTed to its callback_url by a background sweeper (every 25 ms) with an async
 * HttpClient; failures are logged at debug. Lost and duplicated callbacks follow the faults.
 */
package io.renderrelay.devstack.simulator;
