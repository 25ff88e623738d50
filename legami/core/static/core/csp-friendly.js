// Loaded before Bootstrap Italia: its bundled video player would otherwise add a <style>
// element of its own, which the Content-Security-Policy refuses (no page plays video).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
