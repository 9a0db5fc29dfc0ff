package io.sfmcsuppression.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void anExhaustedConnectionPoolIs503WithRetryAfter() {
        Response response = mappers.unexpected(
                new IllegalStateException("Could not read run", new SQLException("Sorry, acquisition timeout!")), null);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("2");
        assertThat(response.getMediaType()).hasToString(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).detail()).doesNotContain("SQL", "acquisition");
    }

    @Test
    void lockTimeoutsDeadlocksAndConcurrentUpdatesAre503() {
        for (String state : new String[] {"HYT00", "90131", "40001", "40P01", "55P03"}) {
            Response response = mappers.unexpected(new RuntimeException(new SQLException("busy", state)), null);
            assertThat(response.getStatus()).as(state).isEqualTo(503);
        }
    }

    @Test
    void otherDatabaseFailuresStay500WithoutDetails() {
        Response response = mappers.unexpected(
                new IllegalStateException("Could not store", new SQLException("relation \"x\" does not exist", "42P01")), null);

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(((Problem) response.getEntity()).detail()).doesNotContain("relation", "42P01");
    }
}
