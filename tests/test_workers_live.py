"""Serving in prefork mode (`make run WORKERS=4`): HTTP workers plus the gevent process
that carries the bus. Staff see new chatter messages live only when that process runs,
and it is the first thing to die when the environment lacks a dependency of gevent."""

import json
import time
import uuid

import requests
import websocket

from .conftest import LiveServer, free_port
from .test_live_rpc import xmlid


def test_chatter_message_reaches_the_bus_websocket_under_workers():
    gevent_port = free_port()
    server = LiveServer(workers=2, extra_args=[f"--gevent-port={gevent_port}"])
    try:
        server.wait_ready()
        admin = server.rpc()
        # A colleague mentions the administrator, who reads notifications in Odoo.
        admin("res.users", "write", [[admin.uid], {"notification_type": "inbox"}])
        login = f"ki_ws_{uuid.uuid4().hex[:8]}"
        group = xmlid(admin, "kommune_interkulturell.group_kommune_user")
        admin(
            "res.users",
            "create",
            [
                {
                    "name": "WS Staff",
                    "login": login,
                    "password": login,
                    "group_ids": [(6, 0, [group])],
                }
            ],
        )
        admin_partner = admin("res.users", "read", [[admin.uid]], fields=["partner_id"])[0][
            "partner_id"
        ][0]

        session = requests.Session()
        answer = session.post(
            f"{server.url}/web/session/authenticate",
            json={"params": {"db": server.db, "login": "admin", "password": "admin"}},
            timeout=30,
        )
        assert answer.json().get("result", {}).get("uid") == admin.uid, answer.text
        # The bus is served by the gevent process only, on its own port.
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{gevent_port}/websocket?version=19.0-2",
            cookie=f"session_id={session.cookies['session_id']}",
            origin=server.url,
            timeout=30,
        )
        try:
            ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
            time.sleep(1)  # the subscription is handled asynchronously
            staff = server.rpc(login, login)
            organization = admin(
                "res.partner", "create", [{"name": f"WS MO {login}", "is_company": True}]
            )
            body = f"Bitte um Rückruf {login}"
            staff(
                "res.partner",
                "message_post",
                [[organization]],
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=[admin_partner],
            )
            deadline = time.monotonic() + 30
            received = []
            while time.monotonic() < deadline:
                for notification in json.loads(ws.recv()):
                    received.append(notification["message"]["type"])
                    if notification["message"][
                        "type"
                    ] == "mail.message/inbox" and body in json.dumps(
                        notification["message"]["payload"], ensure_ascii=False
                    ):
                        return
            raise AssertionError(f"the mention never reached the websocket; got {received}")
        finally:
            ws.close()
    finally:
        server.stop()
        assert "DistributionNotFound" not in server.log(), server.log()
