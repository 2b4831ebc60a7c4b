package org.ccm.admin;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.ccm.templates.TemplateNotFoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * What every page of this module shares: the signed-in staff member's name for the header
 * and the not-found page.
 */
@ControllerAdvice(basePackageClasses = AdminPages.class)
class AdminPages {

	@ModelAttribute("times")
	Times times() {
		return Times.UTC;
	}

	@ModelAttribute("staff")
	@Nullable String staff(@Nullable Principal principal) {
		return (principal != null) ? principal.getName() : null;
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String templateNotFound(TemplateNotFoundException ex, Model model) {
		model.addAttribute("message", "There is no such template or version.");
		return "admin/not-found";
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(PageNotFoundException ex, Model model) {
		model.addAttribute("message", ex.getMessage());
		return "admin/not-found";
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.FORBIDDEN)
	String notAllowed(NotAllowedException ex, Model model) {
		model.addAttribute("message", ex.getMessage());
		return "admin/not-allowed";
	}

	/**
	 * Formats instants for the pages, in UTC so that staff in different places see the
	 * same times ({@code ${times.at(instant)}}).
	 */
	public static final class Times {

		static final Times UTC = new Times();

		private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
			.withZone(ZoneOffset.UTC);

		public String at(@Nullable Instant instant) {
			return (instant != null) ? FORMAT.format(instant) : "";
		}

	}

}
