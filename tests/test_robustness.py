"""A crawl on a hostile web, continued: a host that keeps failing is backed off and then skipped with one record
saying so; TLS is always verified, and a source's own CA bundle lets a site with a private chain through."""

import datetime as dt
import socket
import ssl
import time

import pytest

from faultserver import FaultServer, Reply, page
from paretl.crawl.fetcher import crawl_source
from paretl.sources import CrawlSettings, Source, parse_registry

pytestmark = pytest.mark.integration

ARTICLE = page("Chỉ số CCHC", "<p>Chỉ số CCHC năm 2017 của tỉnh đạt 79,10 điểm, xếp thứ 27/63.</p>")
HEALTH = CrawlSettings(per_host_concurrency=2, min_delay_s=0.0, timeout_s=1.0, max_retries=2, backoff_s=0.01,
                       host_fail_limit=3, host_backoff_s=0.2, host_max_backoffs=1)


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when the block ends: connections are refused


def test_a_dead_host_is_backed_off_then_skipped_with_one_record():
    dead = f"http://127.0.0.1:{_dead_port()}"
    with FaultServer() as srv:
        srv.routes["/robots.txt"] = Reply(404)
        links = [f"{dead}/a/bai-viet-cai-cach-so-{i}.html" for i in range(20)]
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", links))
        src = Source(id="s", start_urls=(srv.base + "/list/",), allowed_domains=("127.0.0.1",))
        t0 = time.monotonic()
        result = crawl_source(src, HEALTH, {}, "run-1")
        took = time.monotonic() - t0
    to_dead = [r for r in result.log if r.url.startswith(dead) and r.outcome != "host_skipped"]
    skipped = [r for r in result.log if r.outcome == "host_skipped"]
    # without the back-off every article would be tried (3 attempts each): 60 failures or 20 records at least
    assert len(to_dead) <= HEALTH.host_fail_limit + HEALTH.host_max_backoffs + 2, [r.outcome for r in to_dead]
    assert len(skipped) == 1 and skipped[0].url == dead + "/" and "skipped for the rest of the run" in skipped[0].error
    # the articles refused before the host was given up on (its robots.txt unreadable) have a record each; the
    # rest none
    refused = sum(1 for r in to_dead if r.role == "article")
    assert refused <= 2 and result.discovery["left_unfetched"] == 20 - refused
    assert took < 10
    assert ("list/", "ok") in {(r.url.split("/", 3)[-1], r.outcome) for r in result.log}  # the live host is fine


def test_a_host_answering_5xx_is_skipped_too_and_an_answer_resets_it():
    with FaultServer() as srv:
        srv.routes["/robots.txt"] = Reply(404)
        links = [f"/a/bai-viet-cai-cach-so-{i}.html" for i in range(15)]
        for i, link in enumerate(links):
            # the first two answer, then the host breaks down for good
            srv.routes[link] = Reply(200, ARTICLE) if i < 2 else Reply(503, b"down")
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", links))
        src = Source(id="s", start_urls=(srv.base + "/list/",), allowed_domains=("127.0.0.1",))
        settings = CrawlSettings(**{**HEALTH.__dict__, "per_host_concurrency": 1})
        result = crawl_source(src, settings, {}, "run-1")
        asked = sum(srv.hits[link] for link in links[2:])
    assert {p.url.rsplit("/", 1)[1] for p in result.pages if p.role == "article"} == {
        links[0].rsplit("/", 1)[1], links[1].rsplit("/", 1)[1]}
    assert asked <= settings.host_fail_limit + settings.host_max_backoffs + 1
    assert sum(1 for r in result.log if r.outcome == "host_skipped") == 1


def _pki(tmp_path):
    """A CA of the test's own and a certificate it signs for 127.0.0.1."""
    x509 = pytest.importorskip("cryptography.x509")
    import ipaddress

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "paretl test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem, cert_pem, key_pem = (tmp_path / "ca.pem", tmp_path / "server.pem", tmp_path / "server.key")
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_pem, key_pem)
    return ca_pem, ctx


def test_tls_is_verified_and_a_source_ca_bundle_lets_a_private_chain_through(tmp_path):
    ca_pem, server_ctx = _pki(tmp_path)
    settings = CrawlSettings(per_host_concurrency=1, min_delay_s=0.0, timeout_s=2.0, max_retries=1, backoff_s=0.01)
    with FaultServer(ssl_context=server_ctx) as srv:
        srv.routes["/robots.txt"] = Reply(404)
        srv.routes["/list/"] = Reply(200, page("Danh sách", "", ["/a/chi-so-cchc-nam-2017-cua-tinh.html"]))
        srv.routes["/a/chi-so-cchc-nam-2017-cua-tinh.html"] = Reply(200, ARTICLE)
        plain = Source(id="s", start_urls=(srv.base + "/list/",), allowed_domains=("127.0.0.1",))
        refused = crawl_source(plain, settings, {}, "run-1")
        # the same site in a registry that gives it its CA bundle (a path relative to the registry's folder)
        reg = parse_registry(f'[[source]]\nid = "s"\nstart_urls = ["{srv.base}/list/"]\n'
                             f'allowed_domains = ["127.0.0.1"]\nca_bundle = "ca.pem"\n', base_dir=tmp_path)
        trusted = crawl_source(reg.sources[0], settings, {}, "run-2")
    assert refused.pages == [] and any(r.outcome == "tls_error" for r in refused.log)
    assert "certificate" in next(r.error for r in refused.log if r.outcome == "tls_error").lower()
    assert {p.role for p in trusted.pages} == {"listing", "article"}
    assert all(r.outcome == "ok" for r in trusted.log if r.role != "robots")
