from .base import LiveQuerySet, Record
from .funding import (
    EvidenceDocument,
    FundingApplication,
    FundingEvent,
    FundingItemType,
    FundingScheme,
)
from .people import Expert, Position, StandardsBody
from .pilots import Pilot, PilotEvent, PilotStandard, PilotTask
from .regions import Region
from .registry import IssuerCode, MatchCandidate, MatchEvent, OrganizationProfile, Participation
from .strategy import AreaProject, AuditEvent, PriorityArea, ProjectEvent

__all__ = [
    "AreaProject",
    "AuditEvent",
    "EvidenceDocument",
    "Expert",
    "FundingApplication",
    "FundingEvent",
    "FundingItemType",
    "FundingScheme",
    "IssuerCode",
    "LiveQuerySet",
    "MatchCandidate",
    "MatchEvent",
    "OrganizationProfile",
    "Participation",
    "Pilot",
    "PilotEvent",
    "PilotStandard",
    "PilotTask",
    "Position",
    "PriorityArea",
    "ProjectEvent",
    "Record",
    "Region",
    "StandardsBody",
]
