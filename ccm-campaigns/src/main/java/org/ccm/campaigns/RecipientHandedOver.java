package org.ccm.campaigns;

import java.util.UUID;

/**
 * The Kafka record that hands one recipient of one step to the accepting consumer; keyed
 * by customer.
 */
record RecipientHandedOver(UUID campaignId, int step, long seq, UUID customerId) {

	String idempotencyKey() {
		return "campaign:" + this.campaignId + ":" + this.step + ":" + this.seq;
	}

}
