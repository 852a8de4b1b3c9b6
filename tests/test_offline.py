"""The network guard is active in tests and in the processes they start."""

import socket
import subprocess
import sys

import pytest

PROBE = (
    "import socket\n"
    "try:\n"
    "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
    "except OSError as err:\n"
    "    print('blocked' if 'test guard' in str(err) else f'other: {err}')\n"
)


def test_outside_address_is_refused_in_this_process():
    with pytest.raises(OSError, match="test guard"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError, match="test guard"):
        socket.getaddrinfo("www.met.police.uk", 443)


def test_subprocesses_inherit_the_guard():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.stdout.strip() == "blocked", result.stderr


def test_loopback_stays_open():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()
