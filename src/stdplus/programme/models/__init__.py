from .base import LiveQuerySet, Record
from .funding import FundingApplication, FundingItemType, FundingScheme
from .people import Expert, Position, StandardsBody
from .pilots import Pilot, PilotEvent, PilotStandard, PilotTask
from .regions import Region
from .registry import IssuerCode, MatchCandidate, OrganizationProfile, Participation
from .strategy import AreaProject, AuditEvent, PriorityArea

__all__ = [
    "AreaProject",
    "AuditEvent",
    "Expert",
    "FundingApplication",
    "FundingItemType",
    "FundingScheme",
    "IssuerCode",
    "LiveQuerySet",
    "MatchCandidate",
    "OrganizationProfile",
    "Participation",
    "Pilot",
    "PilotEvent",
    "PilotStandard",
    "PilotTask",
    "Position",
    "PriorityArea",
    "Record",
    "Region",
    "StandardsBody",
]
