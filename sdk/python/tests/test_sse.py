"""The SSE parser and event handling on their own: the stream route's gap events and ids."""

import io

from crownest._http import server_sent_events
from crownest.commands import _Stream

OFFLINE = True  # no stack: the parser alone


def test_events_with_crlf_comments_and_multiline_data():
    raw = io.BytesIO(b'id:0\r\nevent:stdout\r\ndata:{"data":"a"}\r\n\r\n: keep-alive\n\nid: 1\nevent: exit\ndata: {"exitCode":\ndata: 0}\n\n')
    assert list(server_sent_events(raw)) == [("stdout", '{"data":"a"}', "0"), ("exit", '{"exitCode":\n0}', "1")]


def test_gap_reaches_on_gap_and_the_last_id_is_kept():
    gaps = []
    state = _Stream(None, None, gaps.append)
    state.consume(io.BytesIO(b'id:4\nevent:gap\ndata:{"stream":"stdout","bytes":1024}\n\n'
                             b'id:5\nevent:stdout\ndata:{"data":"tail"}\n\n'
                             b'id:6\nevent:exit\ndata:{"exitCode":0}\n\n'
                             b'id:7\nevent:stdout\ndata:{"data":"ignored"}\n\n'))
    assert gaps == [{"stream": "stdout", "bytes": 1024}]
    assert (state.stdout, state.last_event_id, state.exit) == ("tail", "6", {"exitCode": 0})
