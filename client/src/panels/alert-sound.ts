const MUTE_KEY = 'pingji.alerts.muted';

/**
 * A short two-tone beep for critical alerts, muted by a toggle the browser remembers. Browsers allow
 * sound only after the page had a user gesture, so the audio context is made (or resumed) on the first
 * click or key press.
 */
export class AlertSound {
  private audio?: AudioContext;
  /** How many beeps were played (tests read it; no audio device is needed). */
  played = 0;

  constructor() {
    const unlock = () => {
      try {
        this.audio ??= new AudioContext();
        void this.audio.resume();
      } catch {
        /* no WebAudio: the panel and the count remain */
      }
    };
    window.addEventListener('pointerdown', unlock, { once: true, capture: true });
    window.addEventListener('keydown', unlock, { once: true, capture: true });
  }

  get muted(): boolean {
    return localStorage.getItem(MUTE_KEY) === 'true';
  }

  set muted(value: boolean) {
    localStorage.setItem(MUTE_KEY, String(value));
  }

  beep(): void {
    if (this.muted) return;
    this.played += 1;
    document.documentElement.dataset.alertBeeps = String(this.played);
    try {
      this.audio ??= new AudioContext();
      const start = this.audio.currentTime;
      for (const [i, freq] of [988, 740, 988].entries()) {
        const tone = this.audio.createOscillator();
        const gain = this.audio.createGain();
        tone.frequency.value = freq;
        gain.gain.value = 0.25;
        tone.connect(gain).connect(this.audio.destination);
        tone.start(start + i * 0.22);
        tone.stop(start + i * 0.22 + 0.18);
      }
    } catch {
      /* audio not allowed yet: the panel still shows the alert */
    }
  }
}
