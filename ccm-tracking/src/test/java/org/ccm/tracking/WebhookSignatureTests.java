package org.ccm.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

	// the worked example of docs/webhooks.md, computed there with openssl
	static final String SECRET = "whsec_example_do_not_use";

	static final long TIMESTAMP = 1764778202L;

	static final byte[] BODY = """
			{"events":[{"id":"evt-1","type":"bounce","bounce":"hard","deliveryId":"0b7e6a52-3c1d-4f8e-9a60-5d2f1c7b9e11","recipient":"ada@example.org","status":"5.1.1"}]}"""
		.getBytes(StandardCharsets.UTF_8);

	static final String SIGNATURE = "v1=34f411514bd6a95d45e93e1b9f3347a912e67ea68740504be43986f91b1b20ae";

	@Test
	void signsTheTimestampAndTheBodyAsTheDocumentedExampleDoes() {
		assertThat(WebhookSignature.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
	}

	@Test
	void verifiesOnlyTheExactTimestampBodyAndSecret() {
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, SIGNATURE)).isTrue();
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, "v1=0000, " + SIGNATURE)).as("rotation").isTrue();
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP + 1, BODY, SIGNATURE)).isFalse();
		assertThat(WebhookSignature.verify("another secret", TIMESTAMP, BODY, SIGNATURE)).isFalse();
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP, "{}".getBytes(StandardCharsets.UTF_8), SIGNATURE))
			.isFalse();
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, SIGNATURE.toUpperCase())).isFalse();
		assertThat(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, null)).isFalse();
	}

	@Test
	void aTimestampIsFreshOnlyWithinTheTolerance() {
		Instant now = Instant.ofEpochSecond(TIMESTAMP);
		Duration tolerance = Duration.ofMinutes(5);
		assertThat(WebhookSignature.fresh(String.valueOf(TIMESTAMP - 300), now, tolerance)).isEqualTo(TIMESTAMP - 300);
		assertThat(WebhookSignature.fresh(String.valueOf(TIMESTAMP + 300), now, tolerance)).isEqualTo(TIMESTAMP + 300);
		assertThat(WebhookSignature.fresh(String.valueOf(TIMESTAMP - 301), now, tolerance)).isNull();
		assertThat(WebhookSignature.fresh(String.valueOf(TIMESTAMP + 301), now, tolerance)).isNull();
		assertThat(WebhookSignature.fresh("2026-12-03T16:10:02Z", now, tolerance)).isNull();
		assertThat(WebhookSignature.fresh(null, now, tolerance)).isNull();
	}

}
