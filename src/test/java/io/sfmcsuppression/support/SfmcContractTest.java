package io.sfmcsuppression.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.restassured.specification.RequestSpecification;

/**
 * The stand-ins refuse what SFMC refuses, so a passing test elsewhere means the service spoke the
 * contract: each case here is a request the service must never make, next to its accepted twin.
 */
class SfmcContractTest {

    private static final String TOKEN = "tok-contract-test";
    private static final String ROWSET = "/hub/v1/dataevents/key:ASL_ACME/rowset";
    private static final String READ = "/data/v1/customobjectdata/key/ASL_ACME/rowset";
    private static final String ROW = "[{\"keys\":{\"Email Address\":\"a@acme.org\"},\"values\":{\"Date Added\":\"2026-11-23\"}}]";

    private static WireMockServer sfmc;

    @BeforeAll
    static void start() {
        sfmc = SfmcWireMock.standalone(TOKEN, 0);
        SfmcWireMock.stubReads(sfmc);
    }

    @AfterAll
    static void stop() {
        sfmc.stop();
    }

    private static RequestSpecification at() {
        return given().baseUri(sfmc.baseUrl());
    }

    private static RequestSpecification tokenForm(String clientId, String secret) {
        return at().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId).formParam("client_secret", secret);
    }

    @Test
    void aTokenIsIssuedOnlyForTheInstalledPackagesClientIdAndSecret() {
        tokenForm(PackagedApp.CLIENT_ID, PackagedApp.CLIENT_SECRET).post("/v2/token").then().statusCode(200)
                .body("access_token", equalTo(TOKEN));
        tokenForm(PackagedApp.CLIENT_ID, "not-the-secret").post("/v2/token").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        tokenForm("another-client", PackagedApp.CLIENT_SECRET).post("/v2/token").then().statusCode(401);
    }

    @Test
    void aTokenRequestMustBeTheDocumentedForm() {
        at().contentType("application/json").body("{\"grant_type\":\"client_credentials\",\"client_id\":\"" + PackagedApp.CLIENT_ID
                + "\",\"client_secret\":\"" + PackagedApp.CLIENT_SECRET + "\"}").post("/v2/token").then().statusCode(400);
        tokenForm(PackagedApp.CLIENT_ID, PackagedApp.CLIENT_SECRET).formParam("clientId", "x").post("/v2/token").then()
                .statusCode(400).body("error_description", equalTo("unknown field clientId"));
        tokenForm(PackagedApp.CLIENT_ID, PackagedApp.CLIENT_SECRET).header("Authorization", "Basic eDp5").post("/v2/token")
                .then().statusCode(400);
    }

    @Test
    void aRowsetUpsertNeedsAnIssuedBearerTokenJsonAndTheDocumentedShape() {
        at().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body(ROW).post(ROWSET).then().statusCode(200);
        at().header("Authorization", "Bearer tok-never-issued").contentType("application/json").body(ROW).post(ROWSET).then()
                .statusCode(401).body("message", equalTo("Not Authorized"));
        at().contentType("application/json").body(ROW).post(ROWSET).then().statusCode(401);
        at().header("Authorization", "Bearer " + TOKEN).contentType("text/plain").body(ROW).post(ROWSET).then().statusCode(400);
        at().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"items\":[{\"Email Address\":\"a@acme.org\"}]}").post(ROWSET).then().statusCode(400);
        at().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("[{\"keys\":{\"Email Address\":\"a@acme.org\"},\"values\":{\"Date Added\":20261123}}]").post(ROWSET).then()
                .statusCode(400);
    }

    @Test
    void aDataExtensionReadNeedsAnIssuedBearerToken() {
        at().header("Authorization", "Bearer tok-never-issued").queryParam("$filter", "Email Address eq 'a@acme.org'")
                .queryParam("$page", 1).queryParam("$pageSize", 50).get(READ).then().statusCode(401);
    }
}
