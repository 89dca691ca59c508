"""One moto backend (e.g. sts) alone on loopback over HTTPS, for kumo's tests.

moto_server serves every service on one port and picks the backend of a request from its Authorization header;
a presigned GET (the credentials are in the query string) carries none and lands in S3. A single backend's app
answers it. The certificate is made here (moto depends on cryptography) and written for the test to trust.

moto takes the caller of a request from its Authorization header or a SigV2 AWSAccessKeyId parameter, and
otherwise answers GetCallerIdentity with a made-up "arn:aws:sts::<account>:user/moto". Real STS reads a SigV4
presigned URL's X-Amz-Credential; caller_from_presigned_url passes that access key on as moto reads it, so that a
URL presigned with credentials moto issued (AssumeRole) names their identity. moto checks no signature.

usage: python3 moto_service.py SERVICE PORT CERT_OUT KEY_OUT
"""
import datetime
import ipaddress
import sys
from urllib.parse import parse_qs, urlencode

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


def caller_from_presigned_url(app):
    def wrapped(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        credential = query.get("X-Amz-Credential", [""])[0]
        if credential and "HTTP_AUTHORIZATION" not in environ and "AWSAccessKeyId" not in query:
            environ["QUERY_STRING"] += "&" + urlencode({"AWSAccessKeyId": credential.split("/")[0]})
        return app(environ, start_response)
    return wrapped


def main():
    service, port, cert_out, key_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    self_signed(cert_out, key_out)
    run_simple("127.0.0.1", port, caller_from_presigned_url(create_backend_app(service)), threaded=True, ssl_context=(cert_out, key_out))


if __name__ == "__main__":
    main()
