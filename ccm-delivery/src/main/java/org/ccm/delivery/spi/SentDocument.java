package org.ccm.delivery.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a channel handed to its provider, byte for byte, for the archive.
 *
 * @param providerReference the provider's id for the message (Twilio's SID, the
 * Message-ID), if any
 * @param provider which provider carried it (a relay, an SMS route) where a channel has
 * several; null means the channel's {@link ChannelSender#provider()}
 */
public record SentDocument(String contentType, String filename, byte[] content, @Nullable String providerReference,
		@Nullable String provider) {

	public SentDocument(String contentType, String filename, byte[] content, @Nullable String providerReference) {
		this(contentType, filename, content, providerReference, null);
	}

}
