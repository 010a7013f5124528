package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.5          | a private address",
        "172.16.0.1        | a private address",
        "172.31.255.255    | a private address",
        "192.168.1.1       | a private address",
        "127.0.0.1         | a loopback address",
        "127.255.0.9       | a loopback address",
        "0.0.0.0           | an unspecified ('this network') address",
        "0.1.2.3           | an unspecified ('this network') address",
        "169.254.169.254   | a cloud metadata address",
        "169.254.170.2     | a cloud metadata address",
        "100.100.100.200   | a cloud metadata address",
        "169.254.10.10     | a link-local address",
        "100.64.0.1        | a carrier-grade NAT address",
        "100.127.255.254   | a carrier-grade NAT address",
        "224.0.0.1         | a multicast address",
        "239.255.255.250   | a multicast address",
        "255.255.255.255   | a reserved or broadcast address",
        "240.0.0.1         | a reserved or broadcast address",
        "192.0.2.10        | a documentation address",
        "198.18.0.1        | a benchmarking address",
        "::1               | a loopback address",
        "::                | an unspecified address",
        "fe80::1           | a link-local address",
        "febf::1           | a link-local address",
        "fec0::1           | a site-local address",
        "fc00::1           | a unique-local address",
        "fd12:3456::1      | a unique-local address",
        "fd00:ec2::254     | a cloud metadata address",
        "ff02::1           | a multicast address",
        "2001:db8::1       | a documentation address",
        "::ffff:10.0.0.1   | a private address",
        "::ffff:127.0.0.1  | a loopback address",
        "::ffff:169.254.169.254 | a cloud metadata address",
        "64:ff9b::a00:1    | a private address",
        "2002:7f00:1::     | a loopback address",
        "2002:a9fe:a9fe::  | a cloud metadata address",
        "2001:0:4136::1    | a Teredo tunnel address",
        "::7f00:1          | an IPv4-compatible IPv6 address",
      })
  void refusesNonPublicAddresses(String literal, String reason) throws Exception {
    assertThat(AddressClassifier.nonPublicReason(InetAddress.getByName(literal))).hasValue(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "169.253.255.255",
    "11.0.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:81b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1"
  })
  void allowsPublicAddresses(String literal) throws Exception {
    assertThat(AddressClassifier.nonPublicReason(InetAddress.getByName(literal))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"169.254.169.254,true", "::ffff:169.254.169.254,true", "10.0.0.1,false"})
  void knowsCloudMetadata(String literal, boolean metadata) throws Exception {
    assertThat(AddressClassifier.isCloudMetadata(InetAddress.getByName(literal)))
        .isEqualTo(metadata);
  }

  @org.junit.jupiter.api.Test
  void classifiesIpv4MappedAddressesKeptInSixteenByteForm() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 7;
    var v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(v6.getAddress()).hasSize(16);
    assertThat(AddressClassifier.nonPublicReason(v6)).hasValue("a private address");
  }
}
