/**
 * Imported by every floor page (not used there): Next emits `<script>` tags only for the chunks of
 * the page's own client modules, and finds the floor layout's (providers, header) while hydrating,
 * one round trip and one CPU pass later. Naming them in the page puts them in its first scripts.
 */
export { Providers } from "@/components/providers";
export { AppHeader } from "@/components/layout/app-header";
