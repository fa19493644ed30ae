"""Approvals: a CSR asks, a lead decides. An action above the CSR's limit is stored with its
exact request; when a lead approves, it runs with the lead's limits and both names on record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from customers.kernel import Actor, Role
from orders.domain.limits import check_can_approve
from orders.domain.rules import refuse


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class Approval:
    id: str
    order_id: str
    order_number: str
    action: str
    # The request as it was made (a JSON object), run as it is on approval.
    request: dict[str, Any]
    requested_by_id: str
    requested_by_name: str
    requested_by_role: Role
    requested_at: datetime
    note: str = ""
    status: ApprovalStatus = ApprovalStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    result_version: int | None = None
    version: int = 1
    loaded_version: int = 0

    @property
    def requester(self) -> Actor:
        return Actor(self.requested_by_id, self.requested_by_name, self.requested_by_role)

    def decide(self, lead: Actor, approve: bool, note: str, at: datetime) -> None:
        check_can_approve(lead)
        if self.status is not ApprovalStatus.PENDING:
            raise refuse(
                "approval_not_pending",
                f"This request was already {self.status.value} by {self.decided_by}.",
                approval_id=self.id,
                status=self.status,
            )
        if lead.id == self.requested_by_id:
            raise refuse(
                "self_approval",
                "Someone other than the requester must approve it.",
                approval_id=self.id,
            )
        self.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        self.decided_by = lead.id
        self.decided_at = at
        self.decision_note = note
        self.version += 1
