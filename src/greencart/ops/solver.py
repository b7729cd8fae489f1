"""One way to call HiGHS (through ``scipy.optimize.milp``): status and gap always checked, a time limit, and a
watchdog thread, since HiGHS' MIP time limit has been reported ignored (HiGHS #885, #947, #2226) and old
SciPy returned empty results on timeout (scipy #16814)."""

from __future__ import annotations

import concurrent.futures as cf
import time
from dataclasses import dataclass
from typing import Any

from greencart.errors import Conflict, GreencartError, InvalidParameter

SOLVER = "HiGHS via scipy.optimize.milp"
_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


class PlanInfeasible(Conflict):
    """The plan's constraints cannot all hold; the message names the binding one(s)."""


class SolverTimeout(GreencartError):
    """HiGHS ran past the watchdog."""

    http_status = 504
    exit_code = 7


@dataclass(frozen=True)
class Solution:
    status: str
    x: Any  # numpy array or None
    objective: float | None
    mip_gap: float | None
    solve_s: float
    message: str

    @property
    def ok(self) -> bool:
        return self.status == "optimal" and self.x is not None


def solve(c: Any, a: Any, lb: Any, ub: Any, *, bounds: tuple[Any, Any], integrality: Any = None,
          time_limit_s: float = 10.0, watchdog_grace_s: float = 5.0) -> Solution:
    """min c·x s.t. lb <= A x <= ub, bounds; HiGHS through SciPy, guarded by a watchdog thread."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    if not (0 < time_limit_s <= 600):
        raise InvalidParameter(f"Expected time_limit_s in (0, 600], got {time_limit_s}")
    kwargs = dict(c=c, constraints=[LinearConstraint(a, lb, ub)], bounds=Bounds(*bounds),
                  integrality=integrality,
                  options={"time_limit": float(time_limit_s), "mip_rel_gap": 1e-6, "disp": False})
    started = time.perf_counter()
    pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="highs")
    future = pool.submit(milp, **kwargs)
    try:
        res = future.result(timeout=time_limit_s + watchdog_grace_s)
    except cf.TimeoutError:
        raise SolverTimeout(f"HiGHS ran past its {time_limit_s:g} s time limit plus a {watchdog_grace_s:g} s "
                            "watchdog grace; nothing was saved. Shrink the problem or raise time_limit_s") from None
    finally:
        pool.shutdown(wait=False)
    status = _STATUS.get(int(res.status), "error")
    x = getattr(res, "x", None)
    if status == "time_limit" and x is None:
        status = "time_limit_no_solution"
    gap = getattr(res, "mip_gap", None)
    return Solution(status=status, x=x, objective=None if x is None else float(res.fun),
                    mip_gap=None if gap is None else float(gap), solve_s=time.perf_counter() - started,
                    message=str(res.message))
