"""Issuing and verifying Open Badges credentials through the services, on a SQLite store.

    .venv/bin/python bench/credentials.py [--credentials 2000]

Issue: `issue_credential` for N people of one organisation, each in its own transaction (build
the credential, decrypt the organisation's key, sign, store, audit, notify). Verify:
`verify_credential` on each issued JWT (parse, look up the key, check the signature, the shape,
the issuer, validity and revocation in the store). Baselines measured in the same run on the same
tokens: joserfc signing and verifying alone (the Ed25519 floor, no store). The ratios say how much
the store and the checks add to the cryptography.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from joserfc import jws
from joserfc.jwk import OKPKey

from mobilise.services.credential_verification import verify_credential
from mobilise.services.credentials import AchievementSpec, issue_credential
from mobilise.store.database import make_engine, transaction
from mobilise.store.models import Organisation, Person
from mobilise.store.schema import upgrade


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--credentials", type=int, default=2000)
    args = parser.parse_args()
    count = args.credentials
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        upgrade(engine)
        with transaction(engine) as session:
            organisation = Organisation(
                key="dept", name="Department", kind="department", region="London"
            )
            session.add(organisation)
            session.flush()
            session.add_all(
                Person(
                    key=f"p{i}",
                    display_name=f"Person {i}",
                    email=f"p{i}@example.gov.uk",
                    organisation_id=organisation.id,
                )
                for i in range(count)
            )
        spec = AchievementSpec("bench:course", "A course", "Completed a course.", "Attend.")

        started = time.perf_counter()
        tokens = [
            issue_credential(
                engine,
                None,
                recipient_person_key=f"p{i}",
                issuer_organisation_key="dept",
                achievement=spec,
            ).token
            for i in range(count)
        ]
        issue_seconds = time.perf_counter() - started

        started = time.perf_counter()
        valid = sum(verify_credential(engine, token).valid for token in tokens)
        verify_seconds = time.perf_counter() - started
        assert valid == count

        key = OKPKey.generate_key("Ed25519")
        payloads = [jws.extract_compact(t.encode()).payload for t in tokens]
        header = {"alg": "Ed25519", "typ": "vc+jwt", "kid": key.thumbprint()}
        started = time.perf_counter()
        signed = [jws.serialize_compact(header, p, key, algorithms=["Ed25519"]) for p in payloads]
        sign_floor = time.perf_counter() - started
        public = OKPKey.import_key(key.as_dict(private=False))
        started = time.perf_counter()
        for token in signed:
            json.loads(jws.deserialize_compact(token, public, algorithms=["Ed25519"]).payload)
        verify_floor = time.perf_counter() - started
        engine.dispose()

    print(f"credentials: {count:,} (one organisation, SQLite), JWT ~{len(tokens[0]):,} bytes")
    print("                         per second   ms each   vs joserfc alone")
    for name, seconds, floor in (
        ("issue (services)", issue_seconds, sign_floor),
        ("verify (services)", verify_seconds, verify_floor),
    ):
        print(
            f"  {name:<22}{count / seconds:>10,.0f}   {1000 * seconds / count:>7.2f}"
            f"   {seconds / floor:>8.1f}x slower"
        )
    print(
        f"  joserfc sign alone    {count / sign_floor:>10,.0f}   {1000 * sign_floor / count:>7.2f}"
    )
    print(
        f"  joserfc verify alone  {count / verify_floor:>10,.0f}   "
        f"{1000 * verify_floor / count:>7.2f}"
    )


if __name__ == "__main__":
    main()
