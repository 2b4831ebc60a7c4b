package org.ccm.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The published {@code invoice} template of the templates module, validated and composed
 * for real on every channel.
 */
class InvoiceCompositionTests extends DeliveryIntegrationTest {

	@Autowired
	JsonMapper json;

	@Override
	boolean standInTemplates() {
		return false;
	}

	@Test
	void theInvoiceTemplateIsComposedAndSentOnEveryChannel() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("composed"), List.of(Channel.EMAIL));
		String body = send(unique("key"),
				invoice(customer.externalId(), "INV-7001", "[\"EMAIL\", \"SMS\", \"PRINT\", \"PORTAL\"]"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		UUID id = UUID.fromString(this.json.readTree(body).path("id").asString());

		CommunicationView view = settled(id);
		assertThat(view.deliveries()).extracting(DeliveryView::status).containsOnly(DeliveryStatus.SENT).hasSize(4);

		MimeMessage email = ChannelDeliveryTests.receivedBy(customer.email().value()).get(0);
		assertThat(email.getSubject()).contains("INV-7001");
		List<String> types = new ArrayList<>();
		leaves(email, types);
		assertThat(types).anyMatch((type) -> type.startsWith("text/plain"))
			.anyMatch((type) -> type.startsWith("text/html"))
			.anyMatch((type) -> type.startsWith("application/pdf"));
		for (Channel channel : List.of(Channel.PRINT, Channel.PORTAL)) {
			byte[] pdf = this.communications.document(id, channel).orElseThrow().content();
			assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
		}
		assertThat(new String(this.communications.document(id, Channel.SMS).orElseThrow().content(),
				java.nio.charset.StandardCharsets.UTF_8))
			.contains("INV-7001");
	}

	@Test
	void dataThatDoesNotFitTheTemplateIsRefusedNamingTheField() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("misfit"), List.of(Channel.EMAIL));
		send(unique("key"),
				invoice(customer.externalId(), "INV-7002", null).replace("\"quantity\": 1", "\"quantity\": \"one\""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("data.lines[0].quantity"));
	}

	private static void leaves(Part part, List<String> types) throws Exception {
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				leaves(multipart.getBodyPart(i), types);
			}
		}
		else {
			types.add(part.getContentType().toLowerCase(java.util.Locale.ROOT));
		}
	}

}
