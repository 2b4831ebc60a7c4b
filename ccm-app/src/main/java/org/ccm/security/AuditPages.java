package org.ccm.security;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log for administrators, searched by actor, action (a prefix such as
 * {@code login.}), target, request id and date range; newest first.
 */
@Controller
class AuditPages {

	static final int SHOWN = 200;

	private final AuditLog audit;

	private final SecurityProperties properties;

	AuditPages(AuditLog audit, SecurityProperties properties) {
		this.audit = audit;
		this.properties = properties;
	}

	@GetMapping("/admin/audit")
	String search(@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String action,
			@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String requestId,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			Model model) {
		Instant fromInstant = day(from, 0);
		Instant toInstant = day(to, 1);
		model.addAttribute("entries", audit.search(new AuditLog.AuditQuery(blankToNull(actor), blankToNull(action),
				blankToNull(target), blankToNull(requestId), fromInstant, toInstant, SHOWN)));
		model.addAttribute("shown", SHOWN);
		model.addAttribute("retentionDays", properties.audit().retention().toDays());
		model.addAttribute("q",
				new Query(value(actor), value(action), value(target), value(requestId), value(from), value(to)));
		return "admin/audit";
	}

	private static @Nullable Instant day(@Nullable String date, int plusDays) {
		if (date == null || date.isBlank()) {
			return null;
		}
		try {
			return LocalDate.parse(date.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static String value(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/**
	 * The search as typed, to show it again.
	 */
	public record Query(String actor, String action, String target, String requestId, String from, String to) {
	}

}
