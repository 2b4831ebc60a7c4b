package org.ccm.templates;

import java.util.List;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * A document composed for preview on one channel.
 *
 * @param sms for SMS: the encoding the text needs and its segment count
 * @param smsWithinLimit for SMS: whether the text fits
 * {@code ccm.templates.sms.max-segments}
 */
record ChannelPreview(Channel channel, @Nullable String subject, @Nullable String html, @Nullable String text,
		byte @Nullable [] pdf, @Nullable SmsEncoding sms, boolean smsWithinLimit, List<String> offersShown) {

}
