"""Network guard for the test suite: loaded by every Python process the tests start.

``tests/conftest.py`` puts this folder on ``PYTHONPATH`` and sets ``LFR_BLOCK_NETWORK=1``,
so the notebook kernels and subprocesses the tests start import it too. While the variable
is set, an audit hook (:func:`sys.addaudithook`, which cannot be removed) refuses, with an
``OSError`` naming the address, every socket operation that could leave the machine:

* connections (``socket.connect`` and ``connect_ex``, on ``socket.socket`` and on the
  low-level ``_socket.socket`` alike);
* datagrams sent to an address (``sendto``, ``sendmsg``: UDP);
* name and address lookups (``getaddrinfo``, ``gethostbyname``, ``gethostbyname_ex``,
  ``gethostbyaddr``, ``getnameinfo``).

The events are raised by the interpreter's own socket module, below any Python wrapper, so
no library can go around the guard. One gap remains below it: given a host *name*,
``connect`` and ``sendto`` resolve it before the event is raised. So the methods of
``socket.socket``, and of a ``_socket.socket`` subclass that replaces the low-level class,
check the address first, and the name is never looked up. Loopback stays open
(127.0.0.0/8, ::1, ``localhost``): Jupyter kernels talk to their clients over 127.0.0.1.
Local (Unix domain) sockets stay open.
"""

import os

if os.environ.get("LFR_BLOCK_NETWORK") == "1":
    import ipaddress
    import sys

    _LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
    _ADDRESSED = {"socket.connect", "socket.sendto", "socket.sendmsg"}
    _LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"}

    def _is_local(host) -> bool:
        if host is None:
            return True
        host = host.decode() if isinstance(host, bytes) else str(host)
        if host.lower() in _LOCAL_NAMES:
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _refuse(what) -> None:
        raise OSError(f"network access blocked by the lfr-analysis test guard: {what!r}")

    def _guard(event: str, args: tuple) -> None:
        if not event.startswith("socket."):
            return
        if event in _ADDRESSED:
            address = args[1]  # (socket, address); a Unix socket's address is a path
            if isinstance(address, tuple) and address and not _is_local(address[0]):
                _refuse(address)
        elif event in _LOOKUPS:
            if not _is_local(args[0]):
                _refuse(args[0])
        elif event == "socket.getnameinfo":
            address = args[0]
            if isinstance(address, tuple) and address and not _is_local(address[0]):
                _refuse(address)

    sys.addaudithook(_guard)

    import _socket
    import socket

    def _check(address) -> None:
        if isinstance(address, tuple) and address and not _is_local(address[0]):
            _refuse(address)

    def _guarded(base):
        """Methods that check the address before ``base``'s, which may resolve a name."""

        def connect(self, address):
            _check(address)
            return base.connect(self, address)

        def connect_ex(self, address):
            _check(address)
            return base.connect_ex(self, address)

        def sendto(self, data, *flags_and_address):
            _check(flags_and_address[-1] if flags_and_address else None)
            return base.sendto(self, data, *flags_and_address)

        methods = {"connect": connect, "connect_ex": connect_ex, "sendto": sendto}
        if hasattr(base, "sendmsg"):

            def sendmsg(self, buffers, *rest):
                _check(rest[2] if len(rest) > 2 else None)
                return base.sendmsg(self, buffers, *rest)

            methods["sendmsg"] = sendmsg
        return methods

    _low_level = _socket.socket
    for _name, _method in _guarded(_low_level).items():
        setattr(socket.socket, _name, _method)
    _socket.socket = type("socket", (_low_level,), {"__slots__": (), **_guarded(_low_level)})
