package org.ccm.admin;

import java.util.Comparator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The mail and SMS captured by the local run's sandbox servers. In production there is no
 * {@link CapturedMessages} bean and the page says that messages go to real providers.
 */
@Controller
class CapturedMessagesPage {

	private final ObjectProvider<CapturedMessages> captured;

	CapturedMessagesPage(ObjectProvider<CapturedMessages> captured) {
		this.captured = captured;
	}

	@GetMapping("/admin/captured")
	String captured(Model model) {
		CapturedMessages messages = captured.getIfAvailable();
		model.addAttribute("sandbox", messages != null);
		if (messages != null) {
			model.addAttribute("mail",
					messages.mail()
						.stream()
						.sorted(Comparator.comparing(CapturedMessages.CapturedMail::receivedAt).reversed())
						.toList());
			model.addAttribute("sms",
					messages.sms()
						.stream()
						.sorted(Comparator.comparing(CapturedMessages.CapturedSms::receivedAt).reversed())
						.toList());
		}
		return "admin/captured";
	}

}
