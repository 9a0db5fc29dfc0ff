package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaseUrlsTest {

    @Test
    void instanceUrlsWithoutSchemeGetHttpsAndLoseTrailingSlashes() {
        assertThat(BaseUrls.normalise("mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com"))
                .hasToString("https://mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com");
        assertThat(BaseUrls.normalise(" https://mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com/ "))
                .hasToString("https://mc563885gzs27c5t9-63k636ttgm.rest.marketingcloudapis.com");
        assertThat(BaseUrls.normalise("http://127.0.0.1:8089//")).hasToString("http://127.0.0.1:8089");
    }
}
