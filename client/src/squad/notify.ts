import { t } from './strings.js';

/** A dispatch arrived: a banner, a vibration and a tone — hard to miss on a phone in a pocket. */
export function alertArrival(banner: HTMLElement, exercise: boolean): void {
  banner.textContent = exercise ? `${t().drill} · ${t().newDispatch}` : t().newDispatch;
  banner.classList.toggle('exercise', exercise);
  banner.hidden = false;
  window.setTimeout(() => (banner.hidden = true), 10_000);
  navigator.vibrate?.([300, 100, 300, 100, 600]);
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = exercise ? 660 : 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  } catch {
    /* no audio allowed before a user gesture: the banner and vibration remain */
  }
}
