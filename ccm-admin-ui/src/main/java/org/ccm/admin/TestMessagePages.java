package org.ccm.admin;

import java.security.Principal;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.Channel;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.TemplateNotFoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A staff member's own addresses for test messages, and "Send me a test" from a template
 * version in the studio.
 */
@Controller
class TestMessagePages {

	private final TestMessages tests;

	TestMessagePages(TestMessages tests) {
		this.tests = tests;
	}

	@GetMapping("/admin/me")
	String addresses(@Nullable Principal principal, Model model) {
		TestMessages.Addresses addresses = this.tests.addresses(name(principal));
		model.addAttribute("email", addresses.email());
		model.addAttribute("phone", addresses.phone());
		model.addAttribute("problems", Map.of());
		return "admin/me";
	}

	@PostMapping("/admin/me")
	String saveAddresses(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String phone,
			@Nullable Principal principal, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Map<String, String> problems = this.tests.save(name(principal), email, phone);
		if (problems.isEmpty()) {
			redirect.addFlashAttribute("notice", "Your test addresses are saved.");
			return "redirect:/admin/me";
		}
		response.setStatus(422);
		model.addAttribute("email", email);
		model.addAttribute("phone", phone);
		model.addAttribute("problems", problems);
		return "admin/me";
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/test")
	String sendTest(@PathVariable String key, @PathVariable int version,
			@RequestParam(defaultValue = "EMAIL") Channel channel, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember.of(principal, request).requireAuthor();
		try {
			String to = this.tests.send(name(principal), key, version, channel);
			redirect.addFlashAttribute("notice", "A test " + ((channel == Channel.EMAIL) ? "email" : "text message")
					+ " of version " + version + " went to " + to + ".");
		}
		catch (IllegalStateException | InvalidTemplateDataException ex) {
			redirect.addFlashAttribute("problem", "No test was sent: " + ex.getMessage());
		}
		catch (TemplateNotFoundException ex) {
			throw ex;
		}
		return "redirect:/admin/templates/" + key + "/versions/" + version + "#test-heading";
	}

	private static String name(@Nullable Principal principal) {
		return (principal != null) ? principal.getName() : "anonymous";
	}

}
