#!/usr/bin/python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd) on 127.0.0.1.

Prints its port as the first line of stdout, then records every message
it is given as one JSON line in --record FILE, decoded with Python's email
package: the reply it answered, the envelope, the headers, the decoded
subject, and the text and HTML parts. Its answers to DATA follow
--answers (a comma-separated list of replies such as "451,250"; the last
repeats). --tls-cert/--tls-key offer STARTTLS; --login USER:PASSWORD
accepts that login (only over TLS). Stops on SIGTERM.
"""
import argparse
import asyncio
import email
import email.policy
import json
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult

REPLIES = {
    "250": "250 2.0.0 OK: queued",
    "451": "451 4.3.0 Mailbox temporarily unavailable, try again later",
    "550": "550 5.1.1 No such user here",
}


class Recorder:
    def __init__(self, record, answers):
        self.record = record
        self.answers = answers
        self.count = 0

    def next_reply(self):
        code = self.answers[min(self.count, len(self.answers) - 1)]
        self.count += 1
        return REPLIES.get(code, code + " scripted reply")

    async def handle_DATA(self, server, session, envelope):
        reply = self.next_reply()
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parts = {}
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                parts[part.get_content_type()] = part.get_content()
        line = {
            "reply": reply,
            "accepted": reply.startswith("250"),
            "tls": session.ssl is not None,
            "login": bool(session.authenticated),
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content_type": msg.get_content_type(),
            "alternative": [p.get_content_type() for p in msg.walk()
                            if p.get_content_type().startswith("text/")],
            "headers": {k: str(v) for k, v in msg.items()},
            "raw_subject": email.message_from_bytes(envelope.original_content).get("Subject", ""),
            "subject": str(msg.get("Subject", "")),
            "text": parts.get("text/plain", ""),
            "html": parts.get("text/html", ""),
        }
        with open(self.record, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return reply


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--record", required=True)
    p.add_argument("--answers", default="250")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--login")
    a = p.parse_args()
    handler = Recorder(a.record, a.answers.split(","))
    tls = None
    if a.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.tls_cert, a.tls_key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        user, _, password = (a.login or "").partition(":")
        ok = (a.login is not None and auth_data.login.decode() == user and
              auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)

    def factory():
        return SMTP(handler, hostname="fake-smtp", tls_context=tls,
                    authenticator=authenticate if a.login else None,
                    auth_required=False, auth_require_tls=True)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    loop.run_forever()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
