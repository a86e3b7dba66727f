from django.utils.translation import gettext_lazy

from stdplus.catalog.services import RelationIn

from .base import Adapter


class ItuAdapter(Adapter):
    """ITU-T and ITU-R Recommendations (relaton-data-itu).

    A record naming its ISO/IEC twin text (`also_identified_as`: ITU-T X.509 = ISO/IEC 9594-8)
    gets an `identical` relation to it.
    """

    source = "itu"
    label = gettext_lazy("ITU Recommendations (Relaton)")

    def record(self, obj, row):
        record = super().record(obj, row)
        twins = obj.get("also_identified_as") or []
        for twin in twins if isinstance(twins, list) else [twins]:
            if isinstance(twin, str) and twin.strip():
                record.relations.append(RelationIn("identical", twin.strip()))
        return record
