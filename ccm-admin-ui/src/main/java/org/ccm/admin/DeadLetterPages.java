package org.ccm.admin;

import java.util.UUID;

import org.ccm.delivery.DeadLetters;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Messages that failed after every retry, for operators: what failed and why, and a
 * replay once the cause is fixed. The application lets only ADMIN and OPS staff in.
 */
@Controller
class DeadLetterPages {

	static final int SHOWN = 200;

	private final DeadLetters deadLetters;

	DeadLetterPages(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	@GetMapping("/admin/dead-letters")
	String list(Model model) {
		model.addAttribute("letters", deadLetters.list(SHOWN));
		return "admin/dead-letters";
	}

	@PostMapping("/admin/dead-letters/{id}/replay")
	String replay(@PathVariable UUID id, RedirectAttributes redirect) {
		deadLetters.replay(id).orElseThrow(() -> new PageNotFoundException("There is no dead letter " + id + "."));
		redirect.addFlashAttribute("replayed", id);
		return "redirect:/admin/dead-letters";
	}

}
