package org.ccm.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.tracking.TrackingToken.Delivery;
import org.ccm.tracking.TrackingToken.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrackingTokensTests {

	static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

	final TrackingTokens tokens = new TrackingTokens("a-test-secret-that-is-long-enough-0123456789");

	final UUID customer = UUID.randomUUID();

	final Delivery delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.EMAIL);

	@Test
	void everyKindOfTokenSurvivesTheRoundTrip() {
		TrackingToken click = TrackingToken.click(customer, delivery, "https://example.com/offer?a=1&b=é");
		assertThat(tokens.verify(tokens.sign(click), Kind.CLICK)).contains(click);
		TrackingToken open = TrackingToken.open(customer, delivery);
		assertThat(tokens.verify(tokens.sign(open), Kind.OPEN)).contains(open);
		TrackingToken unsubscribe = TrackingToken.unsubscribe(customer,
				new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.SMS));
		assertThat(tokens.verify(tokens.sign(unsubscribe), Kind.UNSUBSCRIBE)).contains(unsubscribe);
		TrackingToken portal = TrackingToken.portal(customer, java.time.Instant.now());
		assertThat(tokens.verify(tokens.sign(portal), Kind.PORTAL)).contains(portal);
	}

	@Test
	void tokensSignedOnManyThreadsAreTheSameAndVerify() throws Exception {
		List<TrackingToken> clicks = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			clicks.add(TrackingToken.click(customer, delivery, "https://example.com/" + i));
		}
		List<String> expected = clicks.stream().map(tokens::sign).toList();
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			List<java.util.concurrent.Future<String>> signed = new ArrayList<>();
			for (TrackingToken click : clicks) {
				signed.add(threads.submit(() -> tokens.sign(click)));
			}
			for (int i = 0; i < clicks.size(); i++) {
				String token = signed.get(i).get();
				assertThat(token).isEqualTo(expected.get(i));
				assertThat(tokens.verify(token, Kind.CLICK)).contains(clicks.get(i));
			}
		}
		finally {
			threads.shutdown();
		}
	}

	@Test
	void tokensAreUrlSafe() {
		String token = tokens.sign(TrackingToken.click(customer, delivery, "https://example.com/a b?c=d/e+f"));
		assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
	}

	@Test
	void changingAnyCharacterOfAnyTokenIsRefused() {
		for (TrackingToken original : List.of(TrackingToken.click(customer, delivery, "https://example.com/x"),
				TrackingToken.open(customer, delivery), TrackingToken.portal(customer, java.time.Instant.now()))) {
			String token = tokens.sign(original);
			List<String> accepted = new ArrayList<>();
			for (int i = 0; i < token.length(); i++) {
				for (char replacement : ALPHABET.toCharArray()) {
					if (replacement == token.charAt(i)) {
						continue;
					}
					String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
					if (tokens.verify(tampered, original.kind()).isPresent()) {
						accepted.add(tampered);
					}
				}
			}
			assertThat(accepted).as("tampered variants of %s", original.kind()).isEmpty();
		}
	}

	@Test
	void truncatedOrExtendedTokensAreRefused() {
		String token = tokens.sign(TrackingToken.click(customer, delivery, "https://example.com/x"));
		for (int length = 0; length < token.length(); length++) {
			assertThat(tokens.verify(token.substring(0, length), Kind.CLICK)).as("first %d characters", length)
				.isEmpty();
			assertThat(tokens.verify(token.substring(length + 1), Kind.CLICK)).isEmpty();
		}
		assertThat(tokens.verify(token + "A", Kind.CLICK)).isEmpty();
		assertThat(tokens.verify(token + ".", Kind.CLICK)).isEmpty();
	}

	@Test
	void unsignedAndForeignTokensAreRefused() {
		String token = tokens.sign(TrackingToken.open(customer, delivery));
		String payload = token.substring(0, token.indexOf('.'));
		assertThat(tokens.verify(payload, Kind.OPEN)).isEmpty();
		assertThat(tokens.verify(payload + ".", Kind.OPEN)).isEmpty();
		assertThat(tokens.verify(null, Kind.OPEN)).isEmpty();
		assertThat(tokens.verify("", Kind.OPEN)).isEmpty();
		TrackingTokens otherKey = new TrackingTokens("another-secret-that-is-long-enough-0123456789");
		assertThat(otherKey.verify(token, Kind.OPEN)).isEmpty();
	}

	@Test
	void aTokenOnlyOpensWhatItWasIssuedFor() {
		String open = tokens.sign(TrackingToken.open(customer, delivery));
		assertThat(tokens.verify(open, Kind.CLICK)).isEmpty();
		assertThat(tokens.verify(open, Kind.UNSUBSCRIBE)).isEmpty();
		assertThat(tokens.verify(open, Kind.PORTAL)).isEmpty();
		assertThat(tokens.verify(tokens.sign(TrackingToken.portal(customer, java.time.Instant.now())), Kind.OPEN))
			.isEmpty();
	}

	@Test
	void shortSecretsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrackingTokens("too-short-secret"));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrackingTokens("x".repeat(31)));
	}

}
