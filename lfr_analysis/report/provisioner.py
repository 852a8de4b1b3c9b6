"""Kernels for nbclient from the warm process: a kernel provisioner and its kernel manager.

:class:`WarmKernelManager` is an ``AsyncKernelManager`` whose :class:`WarmProvisioner` asks
the report's warm process (:mod:`lfr_analysis.report.kernels`, socket in
``LFR_REPORT_WARM_SOCKET``) for a forked kernel instead of starting a new interpreter; the
rest of the kernel's life (connection, interrupts, shutdown) is jupyter_client's as usual.
"""

from __future__ import annotations

import os
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import default

from lfr_analysis.report.kernels import JOB_ENV, SOCKET_ENV, WarmProcessError, request

__all__ = ["JOB_ENV", "WarmKernelManager", "WarmProvisioner"]


class WarmProvisioner(LocalProvisioner):
    """A kernel provisioner that asks the warm process for a forked kernel."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        path = os.environ.get(SOCKET_ENV)
        if not path:
            raise WarmProcessError(f"{SOCKET_ENV} is not set: no warm process to fork from")
        env = dict(kwargs.get("env") or os.environ)
        cwd = os.fspath(kwargs.get("cwd") or os.getcwd())
        label = env.get(JOB_ENV, "")
        message = {"kind": "kernel", "argv": cmd, "env": env, "cwd": cwd, "label": label}
        self.process = request(path, message)
        self.pid = self.pgid = self.process.pid
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        # the kernel leads its own process group: signal it and whatever it started
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.pgid, signum)
            except OSError:
                self.process.send_signal(signum)


class WarmKernelManager(AsyncKernelManager):
    """An async kernel manager whose kernels are forked from the warm process.

    Its kernels talk over Unix sockets (``transport="ipc"``, one set per kernel id) rather
    than loopback TCP ports, which kernels started at the same moment could both pick.
    """

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        # the sockets' path prefix: absolute (the kernel runs in the notebook's folder) and
        # short (a Unix socket's path is limited to about 100 bytes), beside the warm socket
        folder = os.path.dirname(os.environ.get(SOCKET_ENV, "")) or os.getcwd()
        return os.path.join(folder, f"k{uuid.uuid4().hex[:10]}")

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = WarmProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)
