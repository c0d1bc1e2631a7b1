#!/usr/bin/python3
"""An external client written with Debian's python3-zmq, not our C++ code:
proof that other systems can use the wire contract (DESIGN.md).

It starts the engine and workers, imports a tiny organisation over the
admin socket (tcp://127.0.0.1), publishes events over the ingest socket
(REQ, one at a time, and DEALER, an array) and checks every
acknowledgement, subscribes to the case events PUB socket, drives one case
to final and sees it happen. Every socket is a CURVE client with keys read
by zmq.auth.load_certificate from the engine's DATA/keys/; a key pyzmq
made itself is refused until it is registered as a principal, and a
client without CURVE never gets an answer.
Usage: external_client.py ENGINE SCORING NOTIFY
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import zmq
import zmq.auth


def main():
    engine_bin, scoring_bin, notify_bin = sys.argv[1:4]
    root = tempfile.mkdtemp(prefix="assessflow-py-")
    data = os.path.join(root, "data")
    log = open(os.path.join(root, "engine.log"), "w")
    ctx = zmq.Context()
    probe = ctx.socket(zmq.REP)  # a free loopback port for the admin endpoint
    port = probe.bind_to_random_port("tcp://127.0.0.1")
    probe.close()
    admin_ep = "tcp://127.0.0.1:%d" % port
    procs = [subprocess.Popen([engine_bin, "--data", data, "--sync", "normal", "--schedule", "off",
                               "--admin", admin_ep], stderr=log)]
    keys = os.path.join(data, "keys")

    def secure(sock, name=None, cert=None):
        """Makes sock a CURVE client of the engine with DATA/keys/NAME.key_secret (or cert)."""
        public, secret = zmq.auth.load_certificate(cert or os.path.join(keys, name + ".key_secret"))
        server_public, _ = zmq.auth.load_certificate(os.path.join(keys, "engine.key"))
        sock.curve_publickey, sock.curve_secretkey, sock.curve_serverkey = public, secret, server_public
        return sock

    def admin(request, name="admin", cert=None, timeout=10000):
        s = ctx.socket(zmq.REQ)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.RCVTIMEO, timeout)
        if name or cert:
            secure(s, name, cert)
        s.connect(admin_ep)
        s.send_string(json.dumps(request))
        try:
            return json.loads(s.recv())
        finally:
            s.close()

    try:
        for _ in range(100):
            if os.path.exists(os.path.join(keys, "engine.key")) and os.path.exists(os.path.join(keys, "admin.key_secret")):
                try:
                    if admin({"cmd": "stats"}, timeout=300)["ok"]:
                        break
                except zmq.error.Again:
                    pass
            time.sleep(0.1)
        # A key pyzmq made is unknown to the engine: no answer. Nor for a plain client.
        mine = tempfile.mkdtemp(prefix="keys-", dir=root)
        _, py_secret = zmq.auth.create_certificates(mine, "pyclient")
        for who in ({"name": None, "cert": py_secret}, {"name": None, "cert": None}):
            try:
                admin({"cmd": "stats"}, timeout=700, **who)
                raise AssertionError("the engine answered an unauthenticated client %r" % who)
            except zmq.error.Again:
                pass
        # Registered (as an observer) it may read, but not act.
        py_public, _ = zmq.auth.load_certificate(py_secret)
        r = admin({"cmd": "principals.add", "name": "pyclient", "services": ["observer"],
                   "public_key": py_public.decode()})
        assert r["ok"] and r["capabilities"] == "observer", r
        assert admin({"cmd": "stats"}, name=None, cert=py_secret)["ok"]
        r = admin({"cmd": "org.import", "rows": []}, name=None, cert=py_secret)
        assert r == {"ok": False, "code": "forbidden",
                     "error": "principal pyclient (service: observer) may not send org.import "
                              "(needs the hr or admin role or the admin capability)"}, r
        for binary in (scoring_bin, notify_bin):
            procs.append(subprocess.Popen([binary, "--data", data], stderr=subprocess.DEVNULL))

        sub = secure(ctx.socket(zmq.SUB), cert=py_secret)  # an observer may read every case event
        sub.setsockopt(zmq.SUBSCRIBE, b"case")
        sub.connect("ipc://%s/events.sock" % data)

        rows = [
            {"id": "H1", "name": "HR", "unit": "HR", "grade": 1, "joined_on": "2010-01-01", "roles": "hr"},
            {"id": "S1", "name": "Sup", "unit": "U", "grade": 1, "joined_on": "2012-01-01"},
            {"id": "B1", "name": "HRBP", "unit": "HR", "grade": 2, "joined_on": "2012-01-01"},
            {"id": "E1", "name": "Mgr", "unit": "U", "grade": 3, "supervisor_id": "S1", "hrbp_id": "B1",
             "joined_on": "2021-03-01"},
        ]
        r = admin({"cmd": "org.import", "rows": rows})
        assert r["ok"] and r["imported"] == 4, r

        req = secure(ctx.socket(zmq.REQ), "feed")
        req.setsockopt(zmq.RCVTIMEO, 10000)
        req.connect("ipc://%s/ingest.sock" % data)
        sale = {"type": "sale", "event_id": "py-1", "manager_id": "E1", "occurred_at": "2025-05-01T10:00:00+08:00",
                "amount_fen": 150000000, "brand": "yanghe", "customer_id": "K1"}
        req.send_string(json.dumps(sale))
        assert json.loads(req.recv()) == [{"event_id": "py-1", "status": "accepted"}]
        req.send_string(json.dumps(sale))
        assert json.loads(req.recv()) == [{"event_id": "py-1", "status": "duplicate"}]
        req.send_string("{not json")
        bad = json.loads(req.recv())
        assert bad[0]["status"] == "rejected" and "not valid JSON" in bad[0]["error"], bad

        dealer = secure(ctx.socket(zmq.DEALER), "feed")
        dealer.setsockopt(zmq.RCVTIMEO, 10000)
        dealer.connect("ipc://%s/ingest.sock" % data)
        batch = [{"type": "inquiry", "event_id": "py-q%d" % i, "manager_id": "E1",
                  "occurred_at": "2026-08-01T10:00:00+08:00", "customer_id": "K%d" % i, "converted": i < 3}
                 for i in range(2000)]
        batch.append({"type": "sale", "event_id": "py-2", "manager_id": "E1", "occurred_at": "2026-08-01T10:00:00+08:00",
                      "amount_fen": -5, "brand": "yanghe", "customer_id": "K1"})
        dealer.send_string(json.dumps(batch))
        acks = json.loads(dealer.recv())
        assert len(acks) == 2001 and all(a["status"] == "accepted" for a in acks[:2000]), acks[:3]
        assert acks[2000] == {"event_id": "py-2", "status": "rejected", "error": "amount_fen: must be > 0, got -5"}, acks[2000]

        sales = admin({"cmd": "sales", "manager_id": "E1", "period": "2026-Q3"})
        assert (sales["inquiries"], sales["converted"]) == (2000, 3), sales

        opened = admin({"cmd": "cycle.start", "program": "competency50", "period": "2026-Q3"})
        assert opened["ok"] and opened["opened"] == 1, opened
        case = admin({"cmd": "cases", "cycle": opened["cycle"]})["cases"][0]["id"]
        ratings = {"language": 4, "market_development": 3, "negotiation": 5, "achievement_motivation": 4,
                   "service_orientation": 4, "initiative": 3}
        steps = [{"cmd": "submit", "case": case, "as": "employee:E1", "ratings": ratings},
                 {"cmd": "submit", "case": case, "as": "supervisor:S1", "ratings": ratings,
                  "exams": {"product_knowledge": 87}}]
        for s in steps:
            assert admin(s)["ok"]
        deadline = time.time() + 20
        while admin({"cmd": "case.show", "case": case})["state"] == "scoring" and time.time() < deadline:
            time.sleep(0.05)
        for s in [{"cmd": "approve", "case": case, "as": "hrbp:B1"}, {"cmd": "approve", "case": case, "as": "hr:H1"}]:
            r = admin(s)
            assert r["ok"], r

        seen_final = False
        sub.setsockopt(zmq.RCVTIMEO, 5000)
        while not seen_final:
            topic, body = sub.recv_multipart()
            event = json.loads(body)
            if event.get("case") == case and event.get("to") == "final":
                seen_final = True
        shown = admin({"cmd": "case.show", "case": case})
        # 1.5M CNY last year -> 4; 3 of 2000 inquiries = 0.15% -> 5; 5 years -> 5; exam 87 -> 4.35
        assert shown["total"] == 41.35 and shown["tier"] == 2, shown
        print("external python client: CURVE keys, refusals, acks, duplicate, rejection, PUB final event and the tier "
              "all as expected")
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=20)
        ctx.destroy(linger=0)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
