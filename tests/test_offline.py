"""The network guard is active in tests and in the processes they start, for every call."""

import _socket
import socket
import subprocess
import sys

import pytest

OUTSIDE = "192.0.2.1"  # TEST-NET-1 (RFC 5737): documentation only, never routed
NAME = "www.met.police.uk"

PROBE = (
    "import socket\n"
    "try:\n"
    "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
    "except OSError as err:\n"
    "    print('blocked' if 'test guard' in str(err) else f'other: {err}')\n"
)


def udp():
    return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


#: Each call that could reach the network, as run against an outside address or name.
BLOCKED = {
    "create_connection": lambda: socket.create_connection((OUTSIDE, 80), timeout=1),
    "socket.connect": lambda: socket.socket().connect((OUTSIDE, 80)),
    "socket.connect_ex": lambda: socket.socket().connect_ex((OUTSIDE, 80)),
    "socket.connect by name": lambda: socket.socket().connect((NAME, 443)),
    "_socket.socket.connect": lambda: _socket.socket().connect((OUTSIDE, 80)),
    "_socket.socket.connect_ex": lambda: _socket.socket().connect_ex((OUTSIDE, 80)),
    "getaddrinfo": lambda: socket.getaddrinfo(NAME, 443),
    "getaddrinfo of an address": lambda: socket.getaddrinfo(OUTSIDE, 80),
    "gethostbyname": lambda: socket.gethostbyname(NAME),
    "gethostbyname_ex": lambda: socket.gethostbyname_ex(NAME),
    "gethostbyaddr": lambda: socket.gethostbyaddr(OUTSIDE),
    "getnameinfo": lambda: socket.getnameinfo((OUTSIDE, 80), 0),
    "_socket.gethostbyname": lambda: _socket.gethostbyname(NAME),
    "udp sendto": lambda: udp().sendto(b"x", (OUTSIDE, 53)),
    "udp sendto with flags": lambda: udp().sendto(b"x", 0, (OUTSIDE, 53)),
    "udp sendmsg": lambda: udp().sendmsg([b"x"], [], 0, (OUTSIDE, 53)),
    "udp _socket sendto": lambda: _socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
        b"x", (OUTSIDE, 53)
    ),
    "ipv6 connect": lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 80)),
}


@pytest.mark.parametrize("call", sorted(BLOCKED))
def test_each_call_to_the_outside_is_refused_in_this_process(call):
    with pytest.raises(OSError, match="test guard"):
        BLOCKED[call]()


@pytest.mark.parametrize("call", sorted(BLOCKED))
def test_each_call_is_refused_in_a_subprocess_too(call):
    source = (
        "import _socket, socket, sys\n"
        f"sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})\n"
        "from test_offline import BLOCKED\n"
        "try:\n"
        f"    BLOCKED[{call!r}]()\n"
        "    print('not blocked')\n"
        "except OSError as err:\n"
        "    print('blocked' if 'test guard' in str(err) else f'other: {err}')\n"
    )
    result = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert result.stdout.strip() == "blocked", result.stdout + result.stderr


def test_subprocesses_inherit_the_guard():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.stdout.strip() == "blocked", result.stderr


def test_loopback_stays_open():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    low = _socket.socket()
    low.connect(server.getsockname())
    low.close()
    server.close()


def test_loopback_names_and_datagrams_stay_open():
    assert socket.gethostbyname("localhost").startswith("127.")
    assert socket.getaddrinfo("127.0.0.1", 80)
    receiver = udp()
    receiver.bind(("127.0.0.1", 0))
    sender = udp()
    sender.sendto(b"ping", receiver.getsockname())
    sender.sendmsg([b"pong"], [], 0, receiver.getsockname())
    assert receiver.recv(16) == b"ping"
    assert receiver.recv(16) == b"pong"
    for sock in (receiver, sender):
        sock.close()


def test_local_sockets_stay_open(tmp_path):
    first, second = socket.socketpair()
    first.sendall(b"x")
    assert second.recv(1) == b"x"
    first.close()
    second.close()


def test_the_guard_holds_below_the_python_methods():
    # The interpreter's own low-level method, reached past every Python wrapper: the audit
    # hook inside the socket module still refuses the connection.
    low_level = socket.socket.__bases__[0]
    assert low_level.__module__ == "_socket"
    with pytest.raises(OSError, match="test guard"):
        low_level.connect(socket.socket(), (OUTSIDE, 80))
    with pytest.raises(OSError, match="test guard"):
        low_level.sendto(udp(), b"x", (OUTSIDE, 53))
