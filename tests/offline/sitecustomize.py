"""Network guard for the test suite: loaded by every Python process the tests start.

``tests/conftest.py`` puts this folder on ``PYTHONPATH`` and sets ``LFR_BLOCK_NETWORK=1``,
so the notebook kernels and subprocesses the tests start import it too. While the variable
is set, any attempt to connect or resolve a name outside the loopback range raises
``OSError`` naming the address, which proves nothing reaches out at run time. Loopback
stays open: Jupyter kernels talk to their clients over 127.0.0.1.
"""

import os

if os.environ.get("LFR_BLOCK_NETWORK") == "1":
    import ipaddress
    import socket

    _LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}

    def _is_local(host) -> bool:
        if host is None:
            return True
        host = host.decode() if isinstance(host, bytes) else str(host)
        if host in _LOCAL_NAMES:
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _check(address) -> None:
        if isinstance(address, tuple) and address and not _is_local(address[0]):
            raise OSError(f"network access blocked by the lfr-analysis test guard: {address!r}")

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        _check(address)
        return _connect(self, address)

    def connect_ex(self, address):
        _check(address)
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise OSError(f"network access blocked by the lfr-analysis test guard: {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
