"""The built-in sections of the sustainability report (each a ``SectionProvider``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from greencart.governance.report import METHODOLOGY_TITLE, ReportContext, Section, Table, bar_chart
from greencart.units import J_PER_KWH

RECS_ROUTE = "/recommendations"


def _records(ctx: ReportContext) -> list[dict[str, Any]]:
    from greencart.store.ledger_repo import query_records

    with ctx.db.read() as s:
        return query_records(s, since=ctx.period.start, until=ctx.period.end, limit=5_000_000)


def _per_unit(records: list[dict[str, Any]], units: float, embodied: Any) -> dict[str, Any]:
    """SCI = (E x I + M) / R over ``records`` (ISO/IEC 21031), with the energy band and methods."""
    energy_j = sum(r["energy_j"] for r in records)
    op_g = sum(r["energy_j"] / J_PER_KWH * r["intensity_g_per_kwh"] for r in records)
    m_g = embodied.embodied_g(sum(r["duration_s"] for r in records))
    methods = Counter(r["method"] for r in records)
    return {"units": units, "energy_j_per_unit": energy_j / units,
            "energy_low_j_per_unit": sum(r["energy_low_j"] for r in records) / units,
            "energy_high_j_per_unit": sum(r["energy_high_j"] for r in records) / units,
            "operational_g_per_unit": op_g / units, "embodied_g_per_unit": m_g / units,
            "sci_g_per_unit": (op_g + m_g) / units, "methods": dict(methods)}


@dataclass
class AiEnergySection:
    """AI energy and SCI per functional unit: per assistant turn and per 1,000 recommendation lists."""

    name: str = "AI energy and SCI per functional unit"

    def build(self, ctx: ReportContext) -> Section:
        from greencart.energy.sci import EmbodiedConfig

        records = _records(ctx)
        if not records:
            return Section(self.name, "no data", ("No metered work in this period.",))
        embodied = EmbodiedConfig()
        turns = [r for r in records if r["name"] == "assistant.turn"]
        rec_http = [r for r in records if r["name"].startswith("http GET") and r["name"].endswith(RECS_ROUTE)]
        batches = [r for r in records if r["name"] == "recommend.batch"]
        lists = len(rec_http) + sum(int((r.get("tags") or {}).get("users", 0)) for r in batches)
        top = [r for r in records if "parent_unit" not in (r.get("tags") or {})]
        rows, data = [], {}
        for label, recs, units, fu in (("assistant turn", turns, len(turns), "turn"),
                                       ("1,000 recommendation lists", rec_http + batches, lists / 1000.0,
                                        "1k_recommendations"),
                                       ("all metered work (per unit of work)", top, len(top), "request")):
            if not recs or units <= 0:
                rows.append((label, 0, None, None, None, None, "no data"))
                continue
            d = _per_unit(recs, units, embodied)
            data[fu] = d
            rows.append((label, round(units * (1000 if fu == "1k_recommendations" else 1)),
                         d["energy_j_per_unit"], f"{d['energy_low_j_per_unit']:.3g}-{d['energy_high_j_per_unit']:.3g}",
                         d["sci_g_per_unit"], d["embodied_g_per_unit"],
                         ", ".join(f"{m} ({n})" for m, n in d["methods"].items())))
        daily: dict[str, list[float]] = {}
        for r in turns:
            daily.setdefault(r["started_at"].strftime("%Y-%m-%d"), []).append(r["energy_j"])
        figures = ()
        if daily:
            from greencart.governance.report import Figure

            points = [{"day": k, "j_per_turn": sum(v) / len(v)} for k, v in sorted(daily.items())]
            figures = (Figure("Mean energy per assistant turn by day (J)", bar_chart(
                points, "day", "j_per_turn", "Energy per assistant turn", x_title="day", y_title="J per turn"),
                "bar chart of joules per turn by day"),)
        intensity = sorted({r["intensity_source"] for r in records})
        return Section(self.name, "ok", (
            (f"{len(records)} metered work units; {len(turns)} assistant turns; {lists} recommendation lists. "
            "SCI = (E x I + M) per R (ISO/IEC 21031:2024), location-based grid intensity, embodied carbon "
            f"amortised: {embodied.source}."),
            ("Method labels: 'measured' (RAPL/NVML counters), 'modelled' (CPU power curve, with band), "
            "'-estimate' suffix for figures attributed by CPU-time share."),
            "Grid intensity sources: " + "; ".join(intensity[:5]) + "."),
            (Table(("functional unit", "count", "J per unit", "J band", "SCI gCO2e per unit", "of which embodied g",
                    "energy methods"), tuple(rows)),), figures, data)


@dataclass
class FootprintCoverageSection:
    name: str = "Product footprint coverage by method"

    def build(self, ctx: ReportContext) -> Section:
        from greencart.store.footprint_repo import count_by_method

        with ctx.db.read() as s:
            counts = count_by_method(s)
        total = sum(counts.values())
        if not total:
            return Section(self.name, "no data", (("No product footprints are stored (run `greencart init` or "
                                                  "`greencart footprints estimate`)."),))
        order = ("declared", "reference", "spend", "category-default")
        rows = tuple((m, counts.get(m, 0), counts.get(m, 0) / total) for m in order if m in counts)
        png = bar_chart([{"method": m, "products": n} for m, n, _ in rows], "method", "products",
                        "Products by footprint method", y_title="products")
        from greencart.governance.report import Figure

        return Section(self.name, "ok", (
            (f"{total} products carry a footprint, as stored at generation time (not limited to the period). "
            "Declared figures come from the merchant; reference matches from the Carbon Catalogue; spend-based "
            "from US EPA factors per 2021 USD; category defaults are the fallback."),),
            (Table(("method", "products", "share"), rows),), (Figure("Products by footprint method", png,
                                                                     "bar chart of products per method"),),
            {"by_method": counts, "total": total}, period_data=False)


@dataclass
class GreenerSwapsSection:
    """Greener swaps the assistant offered in the period, and those accepted: bought later by the
    same shopper (joined through keyed pseudonyms, never raw ids)."""

    name: str = "kg CO2e avoided by greener swaps"

    def build(self, ctx: ReportContext) -> Section:
        from greencart.store import report_repo

        with ctx.db.read() as s:
            offers = report_repo.greener_offers(s, ctx.period.start, ctx.period.end)
            if not offers:
                return Section(self.name, "no data", ("The assistant offered no greener swap in this period.",))
            ids = {pid for o in offers for pid in (o["original"], o["swap"])}
            kg = report_repo.footprints_kg(s, ids)
            buyers = report_repo.purchasers_after(s, {o["swap"] for o in offers}, ctx.period.start)
        pseudo = (lambda u: ctx.pseudonymiser.pseudonym(u)) if ctx.pseudonymiser is not None else None
        offered_kg = accepted_kg = 0.0
        accepted = 0
        for o in offers:
            saving = max(kg.get(o["original"], 0.0) - kg.get(o["swap"], 0.0), 0.0)
            offered_kg += saving
            if pseudo and o["pseudonym"] and any(pseudo(u) == o["pseudonym"] and t >= o["at"]
                                                 for u, t in buyers.get(o["swap"], ())):
                accepted += 1
                accepted_kg += saving
        return Section(self.name, "ok", (
            (f"{len(offers)} greener swaps offered, {accepted} accepted (the shopper bought the swap after the offer). "
            f"Avoided: {accepted_kg:.3g} kg CO2e (accepted); potential {offered_kg:.3g} kg CO2e if all were "
            "accepted. Savings use the stored footprints (method and band as in section 2); 'estimated'."),),
            (Table(("swaps offered", "accepted", "kg CO2e avoided (accepted)", "kg CO2e potential (offered)"),
                   ((len(offers), accepted, accepted_kg, offered_kg),)),),
            (), {"offered": len(offers), "accepted": accepted, "avoided_kg_co2e": accepted_kg,
                 "potential_kg_co2e": offered_kg, "method": "estimated"})


@dataclass
class OpsSavingsSection:
    """Forecasting, production and routing savings: 'not run' until those modules have tables;
    the ops package registers its own provider to fill this in."""

    name: str = "Forecasting, production and routing savings"
    table_prefix: str = "ops_"

    def build(self, ctx: ReportContext) -> Section:
        from greencart.store import report_repo

        tables = report_repo.tables_with_prefix(ctx.db, self.table_prefix)
        if not tables:
            return Section(self.name, "not run", (("Not run: forecasting, production planning and delivery routing "
                                                  "have not run on this database (no ops tables)."),))
        return Section(self.name, "not run", ((f"Ops tables exist ({', '.join(tables)}) but no ops section "
                                              "provider is registered: savings are not reported yet."),))


@dataclass
class DataProtectionSection:
    name: str = "Data protection"

    def build(self, ctx: ReportContext) -> Section:
        from greencart.store import governance_repo

        with ctx.db.read() as s:
            counts = governance_repo.encryption_counts(s)
            log = governance_repo.erasures(s, ctx.period.start, ctx.period.end)
        forgets = [e for e in log if e["kind"] == "forget"]
        purges = [e for e in log if e["kind"] == "retention"]
        shredded = sum(e["keys_shredded"] for e in log)
        status = "ok" if (log or counts["turns_encrypted"] or counts["turns_in_clear"]) else "no data"
        return Section(self.name, status, (
            ("Conversation texts are redacted (e-mail, phone, card, IBAN, IP), then encrypted at rest with "
            "AES-256-GCM under a data key per shopper (wrapped by a master key kept outside the database); shopper "
            "ids are stored only as keyed HMAC pseudonyms. Erasure deletes the shopper's keys (crypto-shredding)."),
            "Encryption counts are as stored at generation time; erasures are those in the period."),
            (Table(("records encrypted (turns)", "records in clear (legacy)", "data keys", "erasures (forget)",
                    "retention purges", "keys shredded"),
                   ((counts["turns_encrypted"], counts["turns_in_clear"], counts["data_keys"], len(forgets),
                     len(purges), shredded),)),),
            (), {**counts, "erasures": len(forgets), "retention_purges": len(purges), "keys_shredded": shredded},
            period_data=bool(log))


@dataclass
class MethodologySection:
    name: str = METHODOLOGY_TITLE

    def build(self, ctx: ReportContext) -> Section:
        import re

        from greencart.footprint.factors import commodity_by_code
        from greencart.store import report_repo

        records = _records(ctx)
        intensity = sorted({r["intensity_source"] for r in records})
        meters = sorted({r["meter"] for r in records})
        classes = commodity_by_code()
        factor_sources = sorted({re.sub(r"\s*\(.*", "", c.source) for c in classes.values()})
        with ctx.db.read() as s:
            used = report_repo.footprint_commodities(s)
        factors = tuple((code, classes[code].title[:60], classes[code].kg_co2e_per_usd_2021, n, classes[code].source)
                        for code, n in sorted(used.items()) if code in classes)
        return Section(self.name, "ok", (
            ("AI compute: Software Carbon Intensity, ISO/IEC 21031:2024 (GSF SCI 1.1): SCI = (E x I + M) per R. "
            "E is the attributed energy of each work unit (host energy split by CPU-time share, idle reported "
            "apart); I is location-based grid intensity; M = TE x (TiR / EL) x (RR / ToR). Market instruments "
            "(RECs, offsets) are excluded."),
            ("GHG Protocol framing: the electricity of greencart's own compute is Scope 2 (location-based) for "
            "the operator; embodied hardware carbon is Scope 3 category 2; product footprints shown to shoppers "
            "are the merchant's Scope 3 category 1 (purchased goods) and are cradle-to-gate estimates, not "
            "inventories."),
            ("Product footprints: declared (merchant, assumed +-25% band), reference (Carbon Catalogue, "
            "Meinrenken et al. 2022, bands measured leave-one-company-out), spend (US EPA Supply Chain GHG "
            "Emission Factors v1.2, kg CO2e per 2021 USD; ECB exchange rates; US BLS CPI-U; assumed x/÷3 band), "
            "category default (typical price x EPA factor)."),
            "Energy meters in the period: " + (", ".join(meters) or "none") + ". Grid intensity sources: "
            + ("; ".join(intensity) or "none") + ".",
            "Emission factor tables: " + "; ".join(factor_sources) + ". Every factor in use is listed below "
            "(NAICS code, kg CO2e per 2021 USD purchaser price, products using it, source)."),
            (Table(("NAICS", "commodity", "kg CO2e per USD2021", "products", "source"), factors),) if factors else (),
            (), {"meters": meters, "intensity_sources": intensity, "factors_in_use": len(factors)}, period_data=False)
