package org.ccm.delivery.spi;

import org.ccm.core.CustomerProfile;
import org.ccm.templates.ComposedDocument;

/**
 * A document composed for one customer on one channel, ready to be sent.
 */
public record OutgoingMessage(TrackedMessage delivery, CustomerProfile customer, ComposedDocument document) {

}
