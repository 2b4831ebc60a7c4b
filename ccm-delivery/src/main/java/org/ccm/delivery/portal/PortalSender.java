package org.ccm.delivery.portal;

import java.nio.charset.StandardCharsets;

import org.ccm.core.Channel;
import org.ccm.delivery.PortalInbox;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.SentDocument;
import org.ccm.templates.ComposedDocument;
import org.springframework.stereotype.Component;

/**
 * Puts the document (HTML to read online, PDF to download) into the customer's portal
 * inbox.
 */
@Component
class PortalSender implements ChannelSender {

	private final PortalInbox inbox;

	PortalSender(PortalInbox inbox) {
		this.inbox = inbox;
	}

	@Override
	public Channel channel() {
		return Channel.PORTAL;
	}

	@Override
	public SentDocument send(OutgoingMessage message) {
		ComposedDocument document = message.document();
		String html = document.html();
		if (html == null) {
			throw new IllegalStateException("the template composed no HTML for the portal");
		}
		String title = (document.subject() != null) ? document.subject() : document.templateKey();
		byte[] pdf = document.pdf();
		String id = this.inbox.deliver(message.delivery(), title, html, pdf).toString();
		if (pdf != null) {
			return new SentDocument("application/pdf", message.delivery().deliveryId() + ".pdf", pdf, id);
		}
		return new SentDocument("text/html;charset=UTF-8", message.delivery().deliveryId() + ".html",
				html.getBytes(StandardCharsets.UTF_8), id);
	}

}
