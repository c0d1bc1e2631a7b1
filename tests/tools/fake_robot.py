#!/usr/bin/env python3
"""A WeCom / DingTalk group robot for the tests (tests/workers/robot_test.cpp).

Listens on 127.0.0.1 at a free port and prints that port as its first
stdout line. Each POST is recorded, before it is answered, as one JSON line
  {"path": "/send", "query": {"key": "K", ...}, "content_type": "...",
   "body": PARSED_JSON_OR_NULL, "sign_ok": true|false (with --secret)}
and answered with the next of --answers, a JSON list of
[http_status, body_json] (the last one repeats; default
[[200, {"errcode": 0, "errmsg": "ok"}]]). With --secret S the DingTalk
signature in the query (timestamp, sign) is checked:
  sign == base64(HMAC-SHA256(key=S, msg=timestamp + "\\n" + S)).
Exits on SIGTERM.
"""
import argparse
import base64
import hashlib
import hmac
import json
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def expected_sign(secret, timestamp):
    message = (timestamp + "\n" + secret).encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def make_handler(args, answers):
    lock = threading.Lock()
    state = {"next": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            record = {"path": url.path, "query": query,
                      "content_type": self.headers.get("Content-Type"), "body": body}
            if args.secret is not None:
                ts, sign = query.get("timestamp", ""), query.get("sign", "")
                record["sign_ok"] = hmac.compare_digest(sign, expected_sign(args.secret, ts))
            with lock:
                if args.record:
                    with open(args.record, "a", encoding="utf-8") as f:
                        f.write(json.dumps(record) + "\n")
                code, answer = answers[min(state["next"], len(answers) - 1)]
                state["next"] += 1
            data = json.dumps(answer).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--record", help="append one JSON line per request to this file")
    p.add_argument("--answers", default='[[200, {"errcode": 0, "errmsg": "ok"}]]')
    p.add_argument("--secret", help="check the DingTalk signature with this secret")
    args = p.parse_args()
    answers = json.loads(args.answers)
    if not answers:
        sys.exit("fake_robot: --answers is an empty list")
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args, answers))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
