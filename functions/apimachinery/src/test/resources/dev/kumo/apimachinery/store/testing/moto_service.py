"""One moto backend (e.g. sts) alone on loopback over HTTPS, for kumo's tests.

moto_server serves every service on one port and picks the backend of a request from its Authorization header;
a presigned GET (the credentials are in the query string) carries none and lands in S3. A single backend's app
answers it. The certificate is made here (moto depends on cryptography) and written for the test to trust.

usage: python3 moto_service.py SERVICE PORT CERT_OUT KEY_OUT
"""
import datetime
import ipaddress
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from moto.server import create_backend_app
from werkzeug.serving import run_simple


def self_signed(cert_out, key_out):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "moto test server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    with open(key_out, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(cert_out, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def main():
    service, port, cert_out, key_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    self_signed(cert_out, key_out)
    run_simple("127.0.0.1", port, create_backend_app(service), threaded=True, ssl_context=(cert_out, key_out))


if __name__ == "__main__":
    main()
