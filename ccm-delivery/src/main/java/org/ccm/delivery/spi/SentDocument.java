package org.ccm.delivery.spi;

import org.jspecify.annotations.Nullable;

/**
 * What a channel handed to its provider, byte for byte, for the archive.
 *
 * @param providerReference the provider's id for the message (Twilio's SID, the
 * Message-ID), if any
 */
public record SentDocument(String contentType, String filename, byte[] content, @Nullable String providerReference) {

}
