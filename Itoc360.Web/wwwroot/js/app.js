// Small browser helpers the console calls through JS interop.
window.itoc360 = {
    getDark() {
        const stored = localStorage.getItem("itoc360.dark");
        if (stored !== null) return stored === "true";
        return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    },
    setDark(dark) { localStorage.setItem("itoc360.dark", dark ? "true" : "false"); },
    markInteractive() { document.body.dataset.interactive = "true"; },
    // The layout's first call once live: [dark theme saved or preferred, phone-sized screen]; marks the page interactive
    // (browser tests wait for that marker instead of for HTML).
    start() {
        const narrow = window.matchMedia && window.matchMedia("(max-width: 959.98px)").matches;
        this.markInteractive();
        return [this.getDark() ? 1 : 0, narrow ? 1 : 0];
    },
    async copy(text) {
        try { await navigator.clipboard.writeText(text); return true; }
        catch {
            // Plain-HTTP origins have no async clipboard: fall back to a selected textarea.
            const area = document.createElement("textarea");
            area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
            document.body.appendChild(area); area.select();
            const ok = document.execCommand("copy"); area.remove(); return ok;
        }
    },
    timeZone() { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; } },
    getPreference(name) { return localStorage.getItem("itoc360." + name); },
    setPreference(name, value) { localStorage.setItem("itoc360." + name, value); },
    async enableNotifications() {
        if (!("Notification" in window)) return "unsupported";
        if (Notification.permission === "granted") return "granted";
        return await Notification.requestPermission();
    },
    announce(title, body, sound) {
        if (sound) {
            try {
                const ctx = new (window.AudioContext || window.webkitAudioContext)();
                const osc = ctx.createOscillator(); const gain = ctx.createGain();
                osc.type = "square"; osc.frequency.value = 880; gain.gain.value = 0.08;
                osc.connect(gain); gain.connect(ctx.destination); osc.start();
                setTimeout(() => { osc.frequency.value = 660; }, 180);
                setTimeout(() => { osc.stop(); ctx.close(); }, 420);
            } catch { /* no audio */ }
        }
        if ("Notification" in window && Notification.permission === "granted") {
            try { new Notification(title, { body: body, tag: title }); } catch { /* not allowed here */ }
        }
    }
};
