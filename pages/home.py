"""Home: who you are and the screens your role may open."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from core.permissions import USE_APP
from dashapp.page_access import navigable_pages, signed_in_user

dash.register_page(__name__, path="/", name="Home", title="Floorboard", permission=USE_APP, order=0)


def layout(**_query):
    user = signed_in_user()
    if user is None:
        return html.Div()
    areas = navigable_pages(dash.page_registry, user.can)
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [html.H3(area, className="h5")]
                    + [dbc.Button(page["name"], href=page["relative_path"], color="primary", size="lg",
                                  className="me-2 mb-2 touch-target") for page in pages]
                )
            ),
            md=6, lg=4, className="mb-3",
        )
        for area, pages in areas.items()
    ]
    return html.Div(
        [
            html.H1(f"Hello, {user.user.display_name}", className="h2"),
            html.P(f"You are logged in as {user.username} ({user.role.replace('_', ' ')}).",
                   className="lead", id="home-role"),
            dbc.Row(cards) if cards else html.P("Your role has no screens yet."),
        ]
    )
