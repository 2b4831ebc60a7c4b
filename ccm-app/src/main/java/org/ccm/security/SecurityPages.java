package org.ccm.security;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the administrators' pages share with the rest of the staff UI: the signed-in staff
 * member for the header, the menu entries their roles open, and times in UTC.
 */
@ControllerAdvice(assignableTypes = { ApiKeyPages.class, StaffPages.class, AuditPages.class })
class SecurityPages {

	@ModelAttribute("times")
	Times times() {
		return Times.UTC;
	}

	@ModelAttribute("staff")
	@Nullable String staff(@Nullable Principal principal) {
		return (principal != null) ? principal.getName() : null;
	}

	/**
	 * Formats instants in UTC ({@code ${times.at(instant)}}), like the other staff pages.
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
