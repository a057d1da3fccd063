"""The FastAPI application factory (`uvicorn mobilise.web.app:create_app --factory`)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import Depends, FastAPI
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles

from mobilise.settings import Settings, get_settings
from mobilise.store.database import engine_for
from mobilise.store.schema import head_revision
from mobilise.web import health, oidc
from mobilise.web.access import PUBLIC
from mobilise.web.api import install_api
from mobilise.web.api.parameters import refuse_nul_characters
from mobilise.web.pages import admin, home, sign_in
from mobilise.web.pages import allocation as allocation_pages
from mobilise.web.pages import analytics as analytics_pages
from mobilise.web.pages import candidates as candidate_pages
from mobilise.web.pages import careers as careers_pages
from mobilise.web.pages import claims as claims_pages
from mobilise.web.pages import cohort_projects as cohort_project_pages
from mobilise.web.pages import communities as community_pages
from mobilise.web.pages import credentials as credentials_pages
from mobilise.web.pages import framework as framework_pages
from mobilise.web.pages import guidance as guidance_pages
from mobilise.web.pages import hackathon_teams as hackathon_team_pages
from mobilise.web.pages import hackathons as hackathon_pages
from mobilise.web.pages import impact as impact_pages
from mobilise.web.pages import interest as interest_pages
from mobilise.web.pages import jobs as jobs_pages
from mobilise.web.pages import learning as learning_pages
from mobilise.web.pages import learning_progress as learning_progress_pages
from mobilise.web.pages import marketplace as marketplace_pages
from mobilise.web.pages import mentoring as mentoring_pages
from mobilise.web.pages import outsiders as outsider_pages
from mobilise.web.pages import people as people_pages
from mobilise.web.pages import people_search as people_search_pages
from mobilise.web.pages import personal_data as personal_data_pages
from mobilise.web.pages import programme_setup as programme_setup_pages
from mobilise.web.pages import programmes as programmes_pages
from mobilise.web.pages import project_benefits as project_benefit_pages
from mobilise.web.pages import project_clusters as project_cluster_pages
from mobilise.web.pages import providers as provider_pages
from mobilise.web.pages import register as register_pages
from mobilise.web.pages import register_editor as register_editor_pages
from mobilise.web.pages import register_ethics as register_ethics_pages
from mobilise.web.pages import register_projects as register_projects_pages
from mobilise.web.pages import search as search_pages
from mobilise.web.pages import skills as skills_pages
from mobilise.web.pages import team as team_pages
from mobilise.web.problems import install_problem_handlers
from mobilise.web.security import SecurityHeaders
from mobilise.web.templating import make_templates

STATIC = Path(__file__).parent / "static"

# Not every platform's MIME table knows web fonts or JavaScript modules.
for media_type, suffix in (
    ("font/woff2", ".woff2"),
    ("font/woff", ".woff"),
    ("text/javascript", ".mjs"),
    ("text/javascript", ".js"),
    ("application/manifest+json", ".webmanifest"),
):
    mimetypes.add_type(media_type, suffix)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The web app and API over `engine` (default: the engine for the settings' database URL)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Mobilise API",
        version="1",
        summary="The capability framework (and, later, people, learning and opportunities).",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        # Unless told not to, FastAPI looks for OpenTelemetry providers on every request: a
        # twentieth of a profile page's CPU when none is set up (bench/RESULTS.md).
        telemetry=None
        if settings.telemetry
        else {"tracing": False, "metrics": False, "logs": False},
    )
    app.state.engine = engine if engine is not None else engine_for(settings.database_url)
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.schema_head = head_revision(app.state.engine)
    app.state.oidc_client = oidc.make_client(settings)

    install_problem_handlers(app)
    # Middleware added last runs first: security headers wrap everything, sessions sit inside.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="mobilise_session",
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.environment == "production",
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/assets", StaticFiles(directory=STATIC / "govuk" / "assets"), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Pages refuse NUL characters as the API does: PostgreSQL cannot store or compare them.
    checked = [Depends(refuse_nul_characters)]
    public = [Depends(PUBLIC), *checked]
    app.include_router(health.router, dependencies=public)
    app.include_router(home.router, dependencies=public)
    app.include_router(framework_pages.router, dependencies=public)
    for pages in (
        sign_in,
        candidate_pages,
        interest_pages,
        outsider_pages,
        provider_pages,
        learning_progress_pages,
        people_pages,
        admin,
        jobs_pages,
        claims_pages,
        careers_pages,
        team_pages,
        learning_pages,
        # Before register_pages: /register/clusters is not the record of a project so keyed.
        project_cluster_pages,
        people_search_pages,
        cohort_project_pages,
        project_benefit_pages,
        # Before register_pages: /register/new is not the record of a project keyed "new".
        register_projects_pages,
        register_editor_pages,
        register_ethics_pages,
        register_pages,
        programme_setup_pages,
        programmes_pages,
        impact_pages,
        hackathon_pages,
        hackathon_team_pages,
        community_pages,
        mentoring_pages,
        marketplace_pages,
        skills_pages,
        analytics_pages,
        allocation_pages,
        credentials_pages,
        personal_data_pages,
        guidance_pages,
        search_pages,
    ):
        app.include_router(pages.router, dependencies=checked)
    install_api(app)
    return app
