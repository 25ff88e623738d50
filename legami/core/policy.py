from .permissions import Policy, only
from .roles import DPO

policy = Policy(
    "core",
    {
        "view_audit_log": only(DPO, description="Read the audit and access log"),
    },
)
