from flask.testing import FlaskClient


def test_the_enterprise_page_shows_its_obligations(sample_app, sample_client: FlaskClient) -> None:
    sample_app.config["OBLIGATIONS_TODAY"] = "2025-06-30"
    listed = sample_client.get("/api/v1/obligations?year=2024&limit=5").get_json()["items"]
    assert listed
    enterprise = listed[0]["enterprise_id"]
    page = sample_client.get(f"/enterprises/{enterprise}?lang=en").get_data(as_text=True)
    assert "Annual report for 2024" in page
    plain = sample_client.get("/enterprises/ENT-GX-JINHE?lang=en")
    assert plain.status_code == 200
