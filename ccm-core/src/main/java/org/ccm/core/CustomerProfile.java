package org.ccm.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Everything other modules may know about a customer: who they are, how they can be
 * reached, how they want to be reached and what they agreed to.
 *
 * @param channelPreferences ordered channels per purpose, most preferred first
 * @param marketingPausedUntil until when the customer asked for no marketing, or null
 */
public record CustomerProfile(UUID id, String externalId, String name, Locale locale, ZoneId timeZone,
		CustomerStatus status, @Nullable ContactPoint email, @Nullable ContactPoint phone,
		@Nullable PostalAddress postalAddress, Map<String, Object> attributes,
		Map<Purpose, List<Channel>> channelPreferences, @Nullable QuietHours quietHours, List<ConsentState> consents,
		Instant createdAt, Instant updatedAt, @Nullable Instant marketingPausedUntil) {

	/**
	 * A customer who has not paused marketing.
	 */
	public CustomerProfile(UUID id, String externalId, String name, Locale locale, ZoneId timeZone,
			CustomerStatus status, @Nullable ContactPoint email, @Nullable ContactPoint phone,
			@Nullable PostalAddress postalAddress, Map<String, Object> attributes,
			Map<Purpose, List<Channel>> channelPreferences, @Nullable QuietHours quietHours,
			List<ConsentState> consents, Instant createdAt, Instant updatedAt) {
		this(id, externalId, name, locale, timeZone, status, email, phone, postalAddress, attributes,
				channelPreferences, quietHours, consents, createdAt, updatedAt, null);
	}

	/**
	 * Whether the customer asked for no marketing at this moment.
	 */
	public boolean marketingPaused(Instant now) {
		return marketingPausedUntil != null && now.isBefore(marketingPausedUntil);
	}

	public List<Channel> channelsFor(Purpose purpose) {
		return channelPreferences.getOrDefault(purpose, List.of());
	}

	/**
	 * Transactional messages may be sent unless the customer explicitly objected to the
	 * channel; marketing needs an explicit grant.
	 */
	public boolean consents(Channel channel, Purpose purpose) {
		Optional<ConsentState> consent = consents.stream()
			.filter((c) -> c.channel() == channel && c.purpose() == purpose)
			.findFirst();
		return consent.map(ConsentState::granted).orElse(purpose == Purpose.TRANSACTIONAL);
	}

	/**
	 * Whether the customer has a usable contact point for the channel.
	 */
	public boolean reachableOn(Channel channel) {
		return switch (channel) {
			case EMAIL -> email != null && email.state().reachable();
			case SMS -> phone != null && phone.state().reachable();
			case PRINT -> postalAddress != null && postalAddress.state().reachable();
			case PORTAL -> status == CustomerStatus.ACTIVE;
		};
	}

}
