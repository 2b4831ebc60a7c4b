package org.ccm.security;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Staff accounts for administrators: who has which roles, who is disabled or locked out
 * and when each last signed in; create an account, change roles, disable, reset a
 * password, unlock. New and reset passwords are shown once, on the page that answers the
 * form. A staff member's second factor can be reset (a lost phone).
 */
@Controller
class StaffPages {

	private final StaffAccounts accounts;

	StaffPages(StaffAccounts accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/admin/staff")
	String list(Model model) {
		model.addAttribute("accounts", accounts.list());
		model.addAttribute("roles", StaffAccounts.ROLES);
		model.addAttribute("now", Instant.now());
		if (!model.containsAttribute("problems")) {
			model.addAttribute("problems", Map.of());
		}
		if (!model.containsAttribute("newUsername")) {
			model.addAttribute("newUsername", "");
		}
		return "admin/staff";
	}

	@PostMapping("/admin/staff")
	String create(@RequestParam(defaultValue = "") String username,
			@RequestParam(name = "role", required = false) @Nullable List<String> roles, Principal principal,
			Model model, HttpServletResponse response) {
		try {
			String password = accounts.create(username.strip(), set(roles), principal.getName());
			return password(model, username.strip(), password, "created");
		}
		catch (StaffAccounts.InvalidStaffException ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("problems", ex.problems());
			model.addAttribute("newUsername", username);
			return list(model);
		}
	}

	@PostMapping("/admin/staff/{username}/roles")
	String roles(@PathVariable String username,
			@RequestParam(name = "role", required = false) @Nullable List<String> roles, Principal principal,
			RedirectAttributes redirect) {
		return change(redirect, username, "Roles changed",
				() -> accounts.changeRoles(username, set(roles), principal.getName()));
	}

	@PostMapping("/admin/staff/{username}/disable")
	String disable(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
		return change(redirect, username, "Disabled", () -> accounts.enable(username, false, principal.getName()));
	}

	@PostMapping("/admin/staff/{username}/enable")
	String enable(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
		return change(redirect, username, "Enabled", () -> accounts.enable(username, true, principal.getName()));
	}

	@PostMapping("/admin/staff/{username}/unlock")
	String unlock(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
		return change(redirect, username, "Unlocked", () -> accounts.unlock(username, principal.getName()));
	}

	@PostMapping("/admin/staff/{username}/second-factor/reset")
	String resetSecondFactor(@PathVariable String username, RedirectAttributes redirect) {
		return change(redirect, username, "Second factor reset", () -> accounts.resetSecondFactor(username));
	}

	@PostMapping("/admin/staff/{username}/password")
	String resetPassword(@PathVariable String username, Principal principal, Model model) {
		return password(model, username, accounts.resetPassword(username, principal.getName()), "reset");
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String unknown(StaffAccounts.UnknownStaffException ex, Model model) {
		model.addAttribute("message", ex.getMessage());
		return "admin/not-found";
	}

	private String change(RedirectAttributes redirect, String username, String done, Runnable change) {
		try {
			change.run();
			redirect.addFlashAttribute("done", done + ": " + username);
		}
		catch (StaffAccounts.InvalidStaffException ex) {
			redirect.addFlashAttribute("problems", ex.problems());
		}
		return "redirect:/admin/staff";
	}

	private static String password(Model model, String username, String password, String what) {
		model.addAttribute("username", username);
		model.addAttribute("password", password);
		model.addAttribute("what", what);
		return "admin/staff-password";
	}

	private static Set<String> set(@Nullable List<String> values) {
		return (values != null) ? new LinkedHashSet<>(values) : Set.of();
	}

}
