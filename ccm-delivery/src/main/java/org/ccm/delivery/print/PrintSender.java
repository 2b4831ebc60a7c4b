package org.ccm.delivery.print;

import org.ccm.core.Channel;
import org.ccm.core.PostalAddress;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.SentDocument;
import org.springframework.stereotype.Component;

/**
 * Puts the print-quality PDF (PDF/A-3u, composed by the templates module) into today's
 * print batch for the print shop.
 */
@Component
class PrintSender implements ChannelSender {

	private final PrintBatches batches;

	PrintSender(PrintBatches batches) {
		this.batches = batches;
	}

	@Override
	public Channel channel() {
		return Channel.PRINT;
	}

	@Override
	public String provider() {
		return "print-batch";
	}

	@Override
	public SentDocument send(OutgoingMessage message) {
		PostalAddress address = message.customer().postalAddress();
		if (address == null) {
			throw new PermanentDeliveryFailure("the customer has no postal address");
		}
		byte[] pdf = message.document().pdf();
		if (pdf == null) {
			throw new IllegalStateException("the template composed no PDF for print");
		}
		String file = this.batches.add(message.delivery().deliveryId(), message.customer(), address, pdf);
		return new SentDocument("application/pdf", message.delivery().deliveryId() + ".pdf", pdf, file);
	}

}
