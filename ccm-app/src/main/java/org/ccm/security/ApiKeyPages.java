package org.ccm.security;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * API keys for administrators: the keys with their scopes, expiry, address ranges and
 * last use; a form to issue one, whose secret is shown once on the page that answers the
 * form (never stored in the session); and revocation.
 */
@Controller
class ApiKeyPages {

	private final ApiKeys apiKeys;

	ApiKeyPages(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@GetMapping("/admin/api-keys")
	String list(Model model) {
		model.addAttribute("keys", apiKeys.list());
		model.addAttribute("now", Instant.now());
		model.addAttribute("scopes", ApiScope.values());
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", new KeyForm("", Set.of(), "", ""));
		}
		model.addAttribute("problems", Map.of());
		return "admin/api-keys";
	}

	@PostMapping("/admin/api-keys")
	String issue(@RequestParam(defaultValue = "") String name,
			@RequestParam(name = "scope", required = false) @Nullable List<String> scopeValues,
			@RequestParam(defaultValue = "") String expiresOn, @RequestParam(defaultValue = "") String allowedRanges,
			Principal principal, Model model, HttpServletResponse response) {
		Set<ApiScope> scopes = new LinkedHashSet<>();
		if (scopeValues != null) {
			scopeValues.forEach((value) -> ApiScope.find(value).ifPresent(scopes::add));
		}
		KeyForm form = new KeyForm(name, scopes, expiresOn, allowedRanges);
		Map<String, String> problems = new LinkedHashMap<>();
		Instant expiresAt = null;
		if (!expiresOn.isBlank()) {
			try {
				expiresAt = LocalDate.parse(expiresOn.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			catch (DateTimeParseException ex) {
				problems.put("expiresOn", "Enter the expiry date as a date, such as 2027-03-31");
			}
		}
		List<String> ranges = Arrays.stream(allowedRanges.split("[\\s,]+")).filter((r) -> !r.isBlank()).toList();
		if (problems.isEmpty()) {
			try {
				ApiKeys.IssuedApiKey issued = apiKeys.issue(new ApiKeys.NewApiKey(name, scopes, expiresAt, ranges),
						principal.getName());
				model.addAttribute("issued", issued.summary());
				model.addAttribute("secret", issued.key());
				return "admin/api-key-issued";
			}
			catch (InvalidApiKeyException ex) {
				ex.problems().forEach((field, message) -> problems.put(formField(field), message));
			}
		}
		response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
		list(model);
		model.addAttribute("form", form);
		model.addAttribute("problems", problems);
		return "admin/api-keys";
	}

	@PostMapping("/admin/api-keys/{id}/revoke")
	String revoke(@PathVariable UUID id, Principal principal, RedirectAttributes redirect) {
		apiKeys.find(id).ifPresent((key) -> {
			apiKeys.revoke(id, principal.getName());
			redirect.addFlashAttribute("revoked", key.client());
		});
		return "redirect:/admin/api-keys";
	}

	private static String formField(String field) {
		if (field.startsWith("allowedRanges")) {
			return "allowedRanges";
		}
		return switch (field) {
			case "expiresAt" -> "expiresOn";
			case "scopes" -> "scope";
			default -> field;
		};
	}

	/**
	 * What the form holds, to show it again when something needs correcting.
	 */
	public record KeyForm(String name, Set<ApiScope> scopes, String expiresOn, String allowedRanges) {

		public boolean has(ApiScope scope) {
			return scopes.contains(scope);
		}

	}

}
