package io.sfmcsuppression.support;

import static io.restassured.RestAssured.given;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics, OpenAPI) of the service under @QuarkusTest. */
public final class Management {

    private Management() {
    }

    /** The management interface's base URL (no path), on the free port the test run was given. */
    public static String baseUri() {
        URI url = URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
        return url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
    }

    public static RequestSpecification management() {
        return given().baseUri(baseUri()).port(-1);
    }

    /** The Prometheus scrape, as text. */
    public static String metrics() {
        return management().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
