"""Governance: encryption at rest, erasure and retention, explanations that are
checked, stratified K-fold evaluation and model cards, the sustainability report.

- :mod:`~greencart.governance.keys`: master keys (env or 0600 key file), wrapping.
- :mod:`~greencart.governance.crypto`: AES-256-GCM field cipher, per-owner data keys.
- :mod:`~greencart.governance.erasure`: start-up key check, ``forget`` (crypto-shredding), ``purge``.
- :mod:`~greencart.governance.rotation`: master/data key rotation in batches.
- :mod:`~greencart.governance.sessions`: encrypted CLI session files.
- :mod:`~greencart.governance.explain`: recommendation attributions with a deletion test; footprint reasons.
- :mod:`~greencart.governance.evaluation`, :mod:`~greencart.governance.cards`: K-fold figures, model cards.
- :mod:`~greencart.governance.report`: the sustainability report (md, html, pdf), section providers.

Importing this package imports none of cryptography, weasyprint or the models.
"""
