package org.ccm.admin;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.ccm.core.Channel;
import org.ccm.delivery.ArchivedDocument;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.tracking.Engagement;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Recent communications with the status of each channel, and one communication in detail.
 */
@Controller
class CommunicationPages {

	static final int RECENT = 50;

	private final Communications communications;

	private final Engagement engagement;

	CommunicationPages(Communications communications, Engagement engagement) {
		this.communications = communications;
		this.engagement = engagement;
	}

	@GetMapping({ "/admin", "/admin/" })
	String dashboard(Model model, HttpServletRequest request) {
		// recent communications name their customers
		model.addAttribute("communications",
				StaffRoles.customerData(request) ? communications.recent(RECENT) : List.of());
		model.addAttribute("templates", engagement.byTemplate(10));
		return "admin/dashboard";
	}

	/**
	 * The table alone, refreshed in place by htmx.
	 */
	@GetMapping("/admin/communications/recent")
	String recent(Model model, HttpServletRequest request) {
		StaffRoles.requireCustomerData(request);
		model.addAttribute("communications", communications.recent(RECENT));
		return "admin/dashboard :: recent";
	}

	@GetMapping("/admin/communications/{id}")
	String communication(@PathVariable UUID id, Model model, HttpServletRequest request) {
		StaffRoles.requireCustomerData(request);
		CommunicationView communication = communications.find(id)
			.orElseThrow(() -> new PageNotFoundException("There is no communication " + id + "."));
		model.addAttribute("communication", communication);
		model.addAttribute("channels", channels(communication));
		return "admin/communication";
	}

	@GetMapping("/admin/communications/{id}/documents/{channel}")
	ResponseEntity<byte[]> document(@PathVariable UUID id, @PathVariable Channel channel, HttpServletRequest request) {
		StaffRoles.requireCustomerData(request);
		ArchivedDocument document = communications.document(id, channel)
			.orElseThrow(() -> new PageNotFoundException("No " + channel + " document was archived for " + id + "."));
		MediaType type = MediaType.parseMediaType(document.contentType());
		// anything but a PDF is downloaded rather than shown inside the staff UI's origin
		ContentDisposition disposition = (MediaType.APPLICATION_PDF.isCompatibleWith(type) ? ContentDisposition.inline()
				: ContentDisposition.attachment())
			.filename(document.filename())
			.build();
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
			.body(document.content());
	}

	private static List<Channel> channels(CommunicationView communication) {
		return Arrays.stream(Channel.values())
			.filter((channel) -> communication.deliveries().stream().anyMatch((d) -> d.channel() == channel))
			.toList();
	}

}
